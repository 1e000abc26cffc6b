"""The demo project: a nine-week cross-department project, fully filled in.

「客户服务数字化平台建设项目」 follows the procedure of the seed
(《跨部门协同项目工作方案》): kick-off in week 1, planning in week 2,
execution in weeks 3-8, closing in week 9. It starts Monday 2026-03-02 and
ends Thursday 2026-04-30, through Qingming (Apr 4-6) and up to the Labour
Day holiday (May 1-5, make-up workday Saturday May 9). The status date (the
"today" of every formula and flag) is Wednesday 2026-04-01, in week 5. No
date here depends on the clock, so tests and documents are reproducible.

The data is consistent except for the handful of realistic problems listed
in :data:`DEMO_PROBLEMS`, which the checks must find.

The English variant carries the same data (names stay Chinese); only the
workbook language and the labels of the extensible lists differ.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal


from . import flags
from .blank import default_lists, default_settings, frame
from .calendar import WorkCalendar, official_holiday_rows
from .model import ProjectData

__all__ = ["demo_project", "demo_filename", "DEMO_PROBLEMS", "PROJECT_NAME", "START", "END",
           "STATUS_DATE", "DEMO_DUPLICATE_INVOICE", "DEMO_UNBUDGETED_INVOICE"]

PROJECT_NAME = "客户服务数字化平台建设项目"
START = dt.date(2026, 3, 2)  # Monday, week 1
END = dt.date(2026, 4, 30)  # Thursday, week 9
STATUS_DATE = dt.date(2026, 4, 1)  # Wednesday, week 5

DEMO_DUPLICATE_INVOICE = "26442000000187654321"
DEMO_UNBUDGETED_INVOICE = "26442000000193456780"
_FEB_INVOICES = ("26442000000102260018", "26442000000102280045")

# (sheet key, record key, what is wrong). Tasks are keyed by WBS code,
# risks by ID, milestones by name, budget lines by "department/category",
# expenses by invoice number.
DEMO_PROBLEMS: list[tuple[str, str, str]] = [
    ("tasks", "2.6", "已完成但没有填写实际完成日期 / done without an actual finish date"),
    ("tasks", "3.4.4", "状态为阻塞但没有填写阻塞原因 / blocked without a blocked reason"),
    ("tasks", "3.4.6", "责任人何志强不属于负责部门销售部 / owner is not in the task's department"),
    ("tasks", "3.6.5", "计划阶段结束后新增的任务未经总负责人审批 / added after planning, "
                       "not approved by the project lead"),
    ("expenses", DEMO_DUPLICATE_INVOICE, "发票号重复录入两次 / the same invoice entered twice"),
    ("expenses", DEMO_UNBUDGETED_INVOICE, "销售部/差旅没有预算 / department and category have "
                                          "no budget line"),
    ("expenses", _FEB_INVOICES[0], "启动前的筹备费用，早于项目开始日期 / pre-kick-off "
                                   "expense dated before the project start"),
    ("expenses", _FEB_INVOICES[1], "启动前的筹备费用，早于项目开始日期 / pre-kick-off "
                                   "expense dated before the project start"),
    ("budget", "信息技术部/外包服务", "已支出超过预算 / spending exceeds the budget line"),
    ("risks", "R05", "高风险没有应急预案 / high risk without a contingency plan"),
    ("risks", "R08", "最近复核已超过14天 / last review older than 14 days"),
    ("milestones", "需求确认完成", "里程碑日期已过但没有质量评审 / milestone date passed "
                                  "without a quality review"),
]


def demo_filename(lang: str = "zh") -> str:
    """The demo workbook's file name."""
    return ("演示-客户服务数字化平台建设项目.xlsx" if lang == "zh"
            else "demo-customer-service-platform.xlsx")


def _d(text: str) -> dt.date:
    """'03-02' -> 2026-03-02 (every demo date is in 2026)."""
    month, day = text.split("-")
    return dt.date(2026, int(month), int(day))


# ------------------------------------------------------------------- team ---
DEPTS = ["总经理办公室", "项目管理部", "市场部", "销售部", "客户服务部", "产品研发部", "信息技术部",
         "财务部", "质量管理部"]

# name, pinyin, department, role, duty
_TEAM = [
    ("陈志远", "chenzhiyuan", "总经理办公室", "member", "总经理，项目发起人，审批项目立项与总预算"),
    ("王建国", "wangjianguo", "总经理办公室", "project_lead",
     "副总经理，项目总负责人：统筹全局，审批重大决策，协调高层资源支持"),
    ("刘晓燕", "liuxiaoyan", "总经理办公室", "liaison", "总经理办公室对接人，负责高层会议安排与决策事项督办"),
    ("张伟", "zhangwei", "项目管理部", "pm", "项目经理：日常管理、进度跟踪、风险预警、会议组织、报告编制"),
    ("赵敏", "zhaomin", "项目管理部", "liaison", "项目管理部对接人，项目助理，负责任务清单与会议纪要"),
    ("黄仲明", "huangzhongming", "项目管理部", "adviser", "外部数字化咨询顾问，提供方法论与行业最佳实践"),
    ("钱振宇", "qianzhenyu", "市场部", "member", "市场部总监，审批营销与推广方案"),
    ("孙丽华", "sunlihua", "市场部", "liaison", "市场部对接人，负责市场调研与上线推广"),
    ("吴海涛", "wuhaitao", "销售部", "member", "销售部总监，负责试点客户与销售团队培训"),
    ("周俊杰", "zhoujunjie", "销售部", "liaison", "销售部对接人，负责销售流程需求与线索流转规则"),
    ("林淑芬", "linshufen", "客户服务部", "member", "客户服务部总监，负责客服业务流程优化"),
    ("郑雅琴", "zhengyaqin", "客户服务部", "liaison", "客户服务部对接人，负责需求调研与UAT测试"),
    ("冯磊", "fenglei", "客户服务部", "member", "客服主管，负责知识库内容整理"),
    ("马晓东", "maxiaodong", "产品研发部", "member", "产品研发部总监，负责系统开发交付"),
    ("何志强", "hezhiqiang", "产品研发部", "liaison", "产品研发部对接人，产品经理，负责需求分析与评审"),
    ("许静", "xujing", "产品研发部", "member", "业务分析师，负责需求调研报告与业务流程设计"),
    ("邓文博", "dengwenbo", "信息技术部", "member", "信息技术部总监，负责技术方案审批"),
    ("高远", "gaoyuan", "信息技术部", "liaison", "信息技术部对接人，系统架构师，负责架构与数据迁移"),
    ("李明辉", "liminghui", "信息技术部", "it_support",
     "IT支持专员：系统支持、数据共享平台维护、权限管理与数据同步"),
    ("杨帆", "yangfan", "信息技术部", "member", "集成工程师，负责系统接口与集成测试"),
    ("罗建华", "luojianhua", "财务部", "member", "财务部总监，审核大额付款"),
    ("徐慧", "xuhui", "财务部", "finance", "财务协调员：审核预算执行、成本控制、资金拨付，按月发布资金使用报告"),
    ("谢国栋", "xieguodong", "质量管理部", "member", "质量管理部总监，负责测试计划与质量评审"),
    ("胡雪梅", "huxuemei", "质量管理部", "quality", "质量监督员：独立评估项目质量与合规性，出具质量评估意见"),
]
_DEPT_OF = {name: dept for name, _, dept, _, _ in _TEAM}

# department: director, liaison, KPI weight, notes
_DEPARTMENTS = {
    "总经理办公室": ("陈志远", "刘晓燕", 0.10, "项目发起与决策"),
    "项目管理部": ("张伟", "赵敏", 0.20, "项目牵头部门"),
    "市场部": ("钱振宇", "孙丽华", 0.10, ""),
    "销售部": ("吴海涛", "周俊杰", 0.10, ""),
    "客户服务部": ("林淑芬", "郑雅琴", 0.15, "主要业务使用部门"),
    "产品研发部": ("马晓东", "何志强", 0.15, ""),
    "信息技术部": ("邓文博", "高远", 0.15, "平台建设与运维"),
    "财务部": ("罗建华", "徐慧", 0.10, ""),
    "质量管理部": ("谢国栋", "胡雪梅", 0.10, "独立质量监督"),
}


def _team_records() -> list[dict]:
    rng = random.Random(20260302)
    records = []
    for name, pinyin, dept, role, duty in _TEAM:
        phone = f"1{rng.choice('3589')}{rng.randrange(10)}{rng.randrange(10**8):08d}"
        records.append({"name": name, "department": dept, "role": role, "duty": duty,
                        "phone": phone, "email": f"{pinyin}@hengyuan.example"})
    return records


def _department_records() -> list[dict]:
    return [{"name": dept, "director": director, "liaison": liaison, "kpi_weight": weight,
             "notes": notes or None}
            for dept, (director, liaison, weight, notes) in _DEPARTMENTS.items()]


def _resource_records() -> list[dict]:
    rows = [
        ("总经理办公室", "venue", "项目启动会及月度简报会议室", 1, "间", "03-02", "04-30", "刘晓燕"),
        ("项目管理部", "staff", "项目经理及项目助理（全职）", 2, "人", "03-02", "04-30", "张伟"),
        ("市场部", "staff", "市场调研与推广专员", 1, "人", "03-16", "04-24", "孙丽华"),
        ("销售部", "staff", "试点区域销售骨干", 2, "人", "03-16", "04-24", "周俊杰"),
        ("客户服务部", "staff", "客服业务骨干（需求、知识库、UAT）", 3, "人", "03-16", "04-30", "郑雅琴"),
        ("产品研发部", "staff", "产品经理、业务分析师及开发工程师", 5, "人", "03-09", "04-30", "马晓东"),
        ("信息技术部", "staff", "架构师、集成工程师及运维人员", 3, "人", "03-02", "04-30", "高远"),
        ("信息技术部", "equipment", "应用服务器", 2, "台", "03-16", "04-30", "邓文博"),
        ("信息技术部", "system", "测试环境（含呼叫中心、CRM仿真）", 1, "套", "03-23", "04-24", "李明辉"),
        ("财务部", "funds", "项目专项资金", 150, "万元", "03-02", "04-30", "罗建华"),
        ("财务部", "staff", "财务协调员（兼职）", 0.5, "人", "03-02", "04-30", "徐慧"),
        ("质量管理部", "staff", "质量监督员及测试工程师", 2, "人", "03-09", "04-30", "胡雪梅"),
    ]
    return [{"department": dept, "resource_type": rtype, "description": desc,
             "quantity": qty, "unit": unit, "period_start": _d(a), "period_end": _d(b),
             "committed_by": who, "approved": True}
            for dept, rtype, desc, qty, unit, a, b, who in rows]


# ------------------------------------------------------------------ tasks ---
# Summary rows: WBS, name, department, owner. Their dates, status and
# progress are rolled up from their children.
_SUMMARIES = {
    "1": ("项目启动", "项目管理部", "张伟"),
    "2": ("计划与任务分解", "项目管理部", "张伟"),
    "3": ("执行与协同", "项目管理部", "张伟"),
    "3.1": ("需求调研与分析", "产品研发部", "何志强"),
    "3.2": ("系统设计", "信息技术部", "高远"),
    "3.3": ("系统开发与集成", "产品研发部", "马晓东"),
    "3.4": ("业务准备", "客户服务部", "郑雅琴"),
    "3.5": ("测试", "质量管理部", "胡雪梅"),
    "3.6": ("培训与上线", "信息技术部", "李明辉"),
    "3.7": ("资金管理", "财务部", "徐慧"),
    "4": ("监控与风险管理", "项目管理部", "张伟"),
    "5": ("项目收尾", "项目管理部", "张伟"),
}
_PHASE_OF_TOP = {"1": "kickoff", "2": "planning", "3": "execution", "4": "monitoring",
                 "5": "closing"}

# WBS, name, department, owner, deliverable, planned start, planned finish,
# actual start, actual finish, progress, status, predecessors, blocked reason, notes
_T = [
    # 1 启动（第1周）
    ("1.1", "召开项目启动会", "项目管理部", "张伟", "启动会纪要", "03-02", "03-02",
     "03-02", "03-02", 1, "done", "", None, "明确目标、范围、里程碑与成功标准"),
    ("1.2", "编制《项目章程》", "项目管理部", "张伟", "项目章程", "03-03", "03-04",
     "03-03", "03-04", 1, "done", "1.1", None, None),
    ("1.3", "编制《职责分工说明书》", "项目管理部", "赵敏", "职责分工说明书", "03-03", "03-05",
     "03-03", "03-05", 1, "done", "1.1", None, None),
    ("1.4", "收集各部门资源承诺表", "项目管理部", "赵敏", "资源承诺表汇总", "03-03", "03-05",
     "03-03", "03-05", 1, "done", "1.1", None, "9个部门全部提交"),
    ("1.5", "建立项目沟通群组与共享文档空间", "信息技术部", "李明辉", "企业微信项目群及共享文档空间",
     "03-03", "03-04", "03-03", "03-03", 1, "done", "1.1", None, None),
    ("1.6", "确定项目里程碑与成功标准", "总经理办公室", "王建国", "里程碑计划", "03-05", "03-05",
     "03-05", "03-05", 1, "done", "1.2", None, None),
    ("1.7", "发布项目章程与职责分工说明书", "项目管理部", "张伟", "发布通知", "03-06", "03-06",
     "03-06", "03-06", 1, "done", "1.3,1.4,1.6", None, None),
    # 2 计划与任务分解（第2周）
    ("2.1", "制定《项目甘特图》", "项目管理部", "张伟", "项目甘特图", "03-09", "03-10",
     "03-09", "03-10", 1, "done", "1.7", None, None),
    ("2.2", "编制《WBS任务分解结构》", "项目管理部", "赵敏", "WBS任务分解结构", "03-09", "03-10",
     "03-09", "03-10", 1, "done", "1.7", None, None),
    ("2.3", "各部门认领任务并确认交付物", "项目管理部", "张伟", "部门任务认领表", "03-11", "03-11",
     "03-11", "03-11", 1, "done", "2.1,2.2", None, "明确交付物、责任人、截止时间"),
    ("2.4", "形成《跨部门任务协作清单》", "项目管理部", "赵敏", "跨部门任务协作清单", "03-12", "03-12",
     "03-12", "03-12", 1, "done", "2.3", None, None),
    ("2.5", "总负责人审批任务协作清单", "总经理办公室", "王建国", "审批意见", "03-13", "03-13",
     "03-13", "03-13", 1, "done", "2.4", None, "审批后发布"),
    ("2.6", "编制项目预算与资金计划", "财务部", "徐慧", "项目预算表", "03-09", "03-12",
     "03-09", None, 1, "done", "1.7", None, None),
    ("2.7", "建立《项目风险登记册》", "项目管理部", "张伟", "项目风险登记册", "03-11", "03-12",
     "03-11", "03-12", 1, "done", "2.2", None, "每两周复核一次"),
    ("2.8", "制定质量管理计划", "质量管理部", "胡雪梅", "质量管理计划", "03-10", "03-12",
     "03-10", "03-12", 1, "done", "1.7", None, None),
    # 3.1 需求调研与分析
    ("3.1.1", "客户服务现状调研", "客户服务部", "郑雅琴", "客服现状调研报告", "03-16", "03-19",
     "03-16", "03-19", 1, "done", "2.5", None, None),
    ("3.1.2", "市场与客户需求调研", "市场部", "孙丽华", "市场需求调研报告", "03-16", "03-19",
     "03-16", "03-20", 1, "done", "2.5", None, "第三方调研机构延期1天交付"),
    ("3.1.3", "销售流程需求梳理", "销售部", "周俊杰", "销售流程需求清单", "03-16", "03-19",
     "03-16", "03-19", 1, "done", "2.5", None, None),
    ("3.1.4", "编制《需求调研报告》", "产品研发部", "许静", "需求调研报告", "03-20", "03-24",
     "03-23", "03-26", 1, "done", "3.1.1,3.1.2,3.1.3", None, "移动端范围争议，延期至3月26日"),
    ("3.1.5", "需求评审与确认", "产品研发部", "何志强", "需求确认单", "03-25", "03-27",
     "03-27", None, 0.6, "in_progress", "3.1.4", None, "客户服务部补充意见待确认"),
    # 3.2 系统设计
    ("3.2.1", "总体架构设计", "信息技术部", "高远", "总体架构设计说明书", "03-16", "03-24",
     "03-16", "03-24", 1, "done", "2.5", None, None),
    ("3.2.2", "业务流程设计", "产品研发部", "许静", "业务流程设计说明书", "03-30", "04-03",
     "03-30", None, 0.4, "in_progress", "3.1.4", None, None),
    ("3.2.3", "系统接口设计", "信息技术部", "杨帆", "系统接口设计说明书", "03-25", "04-02",
     "03-25", None, 0.7, "in_progress", "3.2.1", None, None),
    ("3.2.4", "数据迁移方案设计", "信息技术部", "高远", "数据迁移方案", "03-25", "04-01",
     "03-25", None, 0.8, "in_progress", "3.2.1", None, None),
    # 3.3 系统开发与集成
    ("3.3.1", "客服工单模块开发", "产品研发部", "何志强", "工单模块及单元测试报告", "04-07", "04-16",
     None, None, 0, "not_started", "3.2.2", None, "4月6日清明节放假"),
    ("3.3.2", "在线客服与知识库模块开发", "产品研发部", "许静", "在线客服及知识库模块", "04-07", "04-16",
     None, None, 0, "not_started", "3.2.2", None, None),
    ("3.3.3", "CRM系统接口开发", "信息技术部", "杨帆", "CRM接口程序及联调记录", "04-03", "04-14",
     None, None, 0, "not_started", "3.2.3", None, None),
    ("3.3.4", "呼叫中心系统对接", "信息技术部", "李明辉", "呼叫中心对接联调报告", "03-25", "03-31",
     "03-25", None, 0.3, "blocked", "3.2.1", "呼叫中心供应商未按期提供接口文档及测试环境",
     "已升级至项目经理协调"),
    ("3.3.5", "短信与微信消息通道对接", "信息技术部", "杨帆", "消息通道对接记录", "04-08", "04-14",
     None, None, 0, "not_started", "3.2.3", None, None),
    ("3.3.6", "历史数据迁移", "信息技术部", "高远", "数据迁移报告", "04-13", "04-16",
     None, None, 0, "not_started", "3.2.4", None, None),
    ("3.3.7", "报表与数据看板开发", "产品研发部", "马晓东", "服务数据看板", "04-08", "04-16",
     None, None, 0, "not_started", "3.2.2", None, None),
    # 3.4 业务准备
    ("3.4.1", "客服业务流程优化", "客户服务部", "林淑芬", "新版客服业务流程", "03-20", "03-26",
     "03-20", "03-26", 1, "done", "3.1.1", None, None),
    ("3.4.2", "知识库内容整理", "客户服务部", "冯磊", "知识库条目（首批800条）", "03-16", "03-27",
     "03-16", None, 0.7, "in_progress", "2.5", None, "已完成560条，部门内增派2人"),
    ("3.4.3", "客服话术与服务规范修订", "客户服务部", "郑雅琴", "客服服务规范（修订版）", "03-30",
     "04-10", "03-30", None, 0.2, "in_progress", "3.4.1", None, None),
    ("3.4.4", "营销活动方案策划", "市场部", "钱振宇", "上线营销活动方案", "03-23", "03-27",
     "03-23", None, 0.5, "blocked", "3.1.2", None, None),
    ("3.4.5", "上线宣传推广方案", "市场部", "孙丽华", "宣传推广方案", "04-13", "04-17",
     None, None, 0, "not_started", "3.4.4", None, None),
    ("3.4.6", "销售线索流转规则制定", "销售部", "何志强", "线索流转规则", "03-23", "04-02",
     "03-23", None, 0.5, "in_progress", "3.1.3", None, None),
    ("3.4.7", "重点客户试点名单确定", "销售部", "吴海涛", "试点客户名单", "03-23", "03-30",
     "03-23", None, 0.9, "in_progress", "3.1.3", None, "待销售总监签字"),
    # 3.5 测试
    ("3.5.1", "编制测试计划与测试用例", "质量管理部", "谢国栋", "测试计划及用例", "03-30", "04-08",
     "03-30", None, 0.3, "in_progress", "3.1.4", None, None),
    ("3.5.2", "系统集成测试", "信息技术部", "杨帆", "集成测试报告", "04-17", "04-20",
     None, None, 0, "not_started", "3.3.1,3.3.2,3.3.3,3.3.4,3.3.5,3.3.6,3.3.7,3.5.1", None, None),
    ("3.5.3", "UAT测试", "客户服务部", "郑雅琴", "UAT测试报告", "04-21", "04-22",
     None, None, 0, "not_started", "3.5.2", None, "客服、销售、市场业务骨干参加"),
    ("3.5.4", "性能与安全测试", "质量管理部", "谢国栋", "性能与安全测试报告", "04-21", "04-22",
     None, None, 0, "not_started", "3.5.2", None, "第三方测试机构执行"),
    # 3.6 培训与上线
    ("3.6.1", "编制用户操作手册", "产品研发部", "许静", "用户操作手册", "04-13", "04-17",
     None, None, 0, "not_started", "3.2.2", None, None),
    ("3.6.2", "客服人员系统培训", "客户服务部", "林淑芬", "培训签到表及考核记录", "04-20", "04-21",
     None, None, 0, "not_started", "3.6.1", None, None),
    ("3.6.3", "销售团队系统培训", "销售部", "吴海涛", "销售培训记录", "04-20", "04-21",
     None, None, 0, "not_started", "3.6.1", None, None),
    ("3.6.4", "上线切换", "信息技术部", "李明辉", "上线切换方案及切换记录", "04-23", "04-24",
     None, None, 0, "not_started", "3.5.3,3.5.4,3.6.2,3.6.3", None, "切换窗口：周五晚间"),
    ("3.6.5", "上线公告与客户通知", "市场部", "孙丽华", "上线公告", "04-23", "04-24",
     None, None, 0, "not_started", "3.4.5", None, "需求变更新增任务"),
    # 3.7 资金管理
    ("3.7.1", "编制3月《项目资金使用报告》", "财务部", "徐慧", "项目资金使用报告（3月）", "03-31",
     "04-03", "03-31", None, 0.5, "in_progress", "2.6", None, None),
    ("3.7.2", "采购合同审核与付款", "财务部", "罗建华", "付款审批单", "03-16", "04-17",
     "03-16", None, 0.5, "in_progress", "2.6", None, None),
    # 4 监控与风险管理
    ("4.1", "每周跨部门进度例会", "项目管理部", "张伟", "周例会纪要", "03-16", "04-20",
     "03-16", None, 0.5, "in_progress", "2.5", None, "每周一10:00-11:00，清明节顺延至4月7日"),
    ("4.2", "风险登记册复核（第3周）", "项目管理部", "张伟", "风险登记册（3月16日版）", "03-16",
     "03-16", "03-16", "03-16", 1, "done", "2.7", None, None),
    ("4.3", "风险登记册复核（第5周）", "项目管理部", "张伟", "风险登记册（3月30日版）", "03-30",
     "03-30", "03-30", "03-30", 1, "done", "4.2", None, None),
    ("4.4", "风险登记册复核（第7周）", "项目管理部", "张伟", "风险登记册（4月13日版）", "04-13",
     "04-13", None, None, 0, "not_started", "4.3", None, None),
    ("4.5", "需求阶段质量评审", "质量管理部", "胡雪梅", "质量评估意见（需求阶段）", "03-30", "03-31",
     None, None, 0, "not_started", "3.1.5", None, "等待需求评审结论"),
    ("4.6", "开发阶段质量评审", "质量管理部", "谢国栋", "质量评估意见（开发阶段）", "04-17", "04-17",
     None, None, 0, "not_started", "3.3.1,3.3.2", None, None),
    ("4.7", "3月月度高层简报", "项目管理部", "张伟", "3月高层简报PPT", "03-31", "03-31",
     "03-31", "03-31", 1, "done", "2.5", None, None),
    ("4.8", "4月月度高层简报", "项目管理部", "张伟", "4月高层简报PPT", "04-24", "04-24",
     None, None, 0, "not_started", "4.7", None, None),
    ("4.9", "UAT阶段质量评审", "质量管理部", "胡雪梅", "质量评估意见（UAT阶段）", "04-23", "04-23",
     None, None, 0, "not_started", "3.5.3,3.5.4", None, None),
    # 5 收尾（第9周）
    ("5.1", "交付物验收", "质量管理部", "胡雪梅", "交付物验收记录", "04-27", "04-28",
     None, None, 0, "not_started", "3.6.4", None, None),
    ("5.2", "签署《项目交付确认书》", "总经理办公室", "王建国", "项目交付确认书", "04-29", "04-29",
     None, None, 0, "not_started", "5.1", None, None),
    ("5.3", "项目复盘会议", "项目管理部", "张伟", "复盘会议纪要", "04-28", "04-28",
     None, None, 0, "not_started", "3.6.4", None, None),
    ("5.4", "编制《项目总结报告》", "项目管理部", "赵敏", "项目总结报告", "04-29", "04-30",
     None, None, 0, "not_started", "5.3", None, "成果达成情况、经验教训、协同改进建议"),
    ("5.5", "项目文档归档至企业知识库", "信息技术部", "李明辉", "文档归档清单", "04-30", "04-30",
     None, None, 0, "not_started", "5.2", None, None),
    ("5.6", "表彰优秀团队与个人（协同先锋奖）", "总经理办公室", "刘晓燕", "表彰通报", "04-30", "04-30",
     None, None, 0, "not_started", "5.2", None, None),
    ("5.7", "编制4月资金使用报告及费用决算", "财务部", "徐慧", "项目资金使用报告（4月）", "04-27",
     "04-30", None, None, 0, "not_started", "3.7.1", None, None),
]
_UNAPPROVED = {"3.6.5"}
# blocked tasks: since when (the nightly check would have recorded it)
_BLOCKED_SINCE = {"3.3.4": "03-26", "3.4.4": "03-30"}


def _phase(wbs: str) -> str:
    return _PHASE_OF_TOP[wbs.split(".")[0]]


def _wbs_sort_key(wbs: str):
    return tuple(int(p) for p in wbs.split("."))


def _task_records(cal: WorkCalendar, settings: dict) -> list[dict]:
    leaves: dict[str, dict] = {}
    for (wbs, name, dept, owner, deliverable, ps, pf, as_, af, progress, status, preds,
         reason, notes) in _T:
        leaves[wbs] = {
            "wbs": wbs, "name": name, "phase": _phase(wbs), "department": dept, "owner": owner,
            "deliverable": deliverable, "planned_start": _d(ps), "planned_finish": _d(pf),
            "actual_start": _d(as_) if as_ else None, "actual_finish": _d(af) if af else None,
            "progress": float(progress), "status": status, "predecessors": preds or None,
            "blocked_reason": reason, "approved": wbs not in _UNAPPROVED, "notes": notes,
        }
    rows = dict(leaves)
    # roll summaries up, deepest first
    for wbs in sorted(_SUMMARIES, key=lambda w: -len(w.split("."))):
        name, dept, owner = _SUMMARIES[wbs]
        kids = [r for k, r in rows.items()
                if k.startswith(wbs + ".") and k.count(".") == wbs.count(".") + 1]
        statuses = {k["status"] for k in kids}
        if statuses == {"done"}:
            status = "done"
        elif statuses == {"not_started"}:
            status = "not_started"
        else:
            status = "in_progress"
        starts = [k["actual_start"] for k in kids if k["actual_start"]]
        finishes = [k["actual_finish"] for k in kids if k["actual_finish"]]
        rows[wbs] = {
            "wbs": wbs, "name": name, "phase": _phase(wbs), "department": dept, "owner": owner,
            "deliverable": None,
            "planned_start": min(k["planned_start"] for k in kids),
            "planned_finish": max(k["planned_finish"] for k in kids),
            "actual_start": min(starts) if starts else None,
            "actual_finish": max(finishes) if status == "done" else None,
            "progress": round(sum(k["progress"] for k in kids) / len(kids), 2)
            if status != "done" else 1.0,
            "status": status, "predecessors": None, "blocked_reason": None, "approved": True,
            "notes": "汇总任务" if wbs.count(".") == 0 else None,
        }
    records = [rows[k] for k in sorted(rows, key=_wbs_sort_key)]
    for r in records:
        since = _BLOCKED_SINCE.get(r["wbs"])
        if since:
            r["blocked_since"] = _d(since)
            r["escalation"] = flags.escalation_level(
                cal.workdays_between(_d(since), STATUS_DATE),
                settings["escalation_pm_days"], settings["escalation_lead_days"])
    return records


# ------------------------------------------------------------- milestones ---
def _milestone_records() -> list[dict]:
    rows = [
        ("项目启动完成", "kickoff", "03-06", "03-06", "1.7", "胡雪梅", "03-06", "pass",
         "项目章程、职责分工说明书已发布，资源承诺齐全，同意进入计划阶段。"),
        ("任务协作清单审批发布", "planning", "03-13", "03-13", "2.4,2.5", "胡雪梅", "03-13",
         "conditional", "WBS与任务清单完整；项目预算表须补充实际完成日期，预算与资金计划须在第3周内完善。"),
        ("需求确认完成", "execution", "03-27", None, "3.1.4,3.1.5", None, None, None, None),
        ("系统开发完成", "execution", "04-16", None, "3.3.1,3.3.2,3.3.3,3.3.4,3.3.5,3.3.6,3.3.7",
         None, None, None, None),
        ("UAT测试通过", "execution", "04-22", None, "3.5.3,3.5.4", None, None, None, None),
        ("系统上线", "execution", "04-24", None, "3.6.4", None, None, None, None),
        ("项目验收与收尾", "closing", "04-30", None, "5.1,5.2,5.4", None, None, None, None),
    ]
    return [{"name": n, "phase": ph, "planned_date": _d(pd_), "actual_date": _d(ad) if ad else None,
             "tasks": t, "reviewer": rv, "review_date": _d(rd) if rd else None,
             "review_result": res, "opinion": op}
            for n, ph, pd_, ad, t, rv, rd, res, op in rows]


# ------------------------------------------------------------------ risks ---
def _risk_records() -> list[dict]:
    rows = [
        ("R01", "产品研发部核心开发人员可能离职或被其他项目抽调", "staff_change", 3, 5, "马晓东",
         "建立AB角制度，关键模块双人开发；与人力资源部预约2名外包开发人员备用", "monitoring",
         "03-09", "03-30"),
        ("R02", "呼叫中心供应商接口文档与测试环境交付延迟，影响系统对接", "integration_delay", 4, 4,
         "李明辉", "先用挡板程序模拟接口推进开发；项目经理约谈供应商并明确违约条款", "occurred",
         "03-09", "03-30"),
        ("R03", "业务部门在执行阶段频繁提出需求变更", "requirement_change", 4, 3, "张伟",
         "实行需求变更审批流程，变更须经项目经理评估、总负责人审批；二期需求池统一收集", "monitoring",
         "03-09", "03-30"),
        ("R04", "客户服务部UAT测试人员不足，一线排班紧张", "resource_shortage", 3, 3, "林淑芬",
         "提前锁定UAT测试人员排班，必要时调用销售部试点人员支援", "monitoring", "03-16", "03-30"),
        ("R05", "历史客户数据质量差（重复、缺失），迁移后影响客服使用", "quality", 3, 5, "高远",
         None, "open", "03-25", "03-30"),
        ("R06", "外包开发费用超出预算", "budget_overrun", 3, 4, "徐慧",
         "按里程碑付款，超支部分提交预算调整申请经总负责人审批", "monitoring", "03-09", "03-30"),
        ("R07", "短信通道服务商资质审核周期长", "external", 2, 3, "杨帆",
         "同时接洽两家短信服务商，先行开通微信消息通道", "monitoring", "03-16", "03-30"),
        ("R08", "系统并发性能不达标，高峰期响应缓慢", "quality", 2, 4, "邓文博",
         "预留性能测试时间，按峰值2倍容量配置服务器并准备扩容方案", "monitoring", "03-09", "03-13"),
        ("R09", "销售部对接人可能岗位调整", "staff_change", 2, 3, "吴海涛",
         "销售部指定后备对接人并同步参加周例会", "monitoring", "03-16", "03-30"),
        ("R10", "清明、劳动节假期与调休压缩有效工作日", "other", 4, 2, "张伟",
         "按节假日日历排期，上线安排在劳动节假期前一周完成", "monitoring", "03-09", "03-30"),
        ("R11", "营销活动方案需随产品范围调整", "requirement_change", 2, 2, "孙丽华",
         "需求确认后再定稿活动方案", "closed", "03-09", "03-16"),
        ("R12", "CRM系统接口权限开通审批延迟", "integration_delay", 3, 4, "杨帆",
         "信息技术部提前提交权限申请，由IT支持专员跟踪审批进度", "open", "03-25", None),
    ]
    return [{"risk_id": i, "description": desc, "category": cat, "probability": p, "impact": im,
             "owner": owner, "contingency": plan, "status": st, "identified": _d(ident),
             "last_review": _d(rev) if rev else None}
            for i, desc, cat, p, im, owner, plan, st, ident, rev in rows]


# ------------------------------------------------------------ escalations ---
def _escalation_records() -> list[dict]:
    rows = [
        ("需求调研报告是否纳入移动端App，市场部与产品研发部意见不一致", "3.1.4", "lead", "何志强",
         "03-18", "王建国", "移动端纳入二期，本期建设Web端与微信端；需求调研报告延期至3月26日", "03-19"),
        ("呼叫中心供应商未提供接口文档，对接无法开展", "3.3.4", "department", "李明辉", "03-26",
         "邓文博", "部门内协调未果，升级至项目经理协调", "03-30"),
        ("呼叫中心对接阻塞已超过2个工作日", "3.3.4", "pm", "高远", "03-31", "张伟",
         "项目经理约谈供应商，要求4月3日前提供接口文档与测试环境；同时启用挡板程序", None),
        ("知识库内容整理进度滞后约3个工作日", "3.4.2", "department", "冯磊", "03-30", "林淑芬",
         "部门内抽调2名客服骨干支援，4月3日前追平进度", None),
    ]
    return [{"issue": i, "task": t, "level": lv, "raised_by": by, "raised_on": _d(on),
             "goes_to": to, "decision": dec, "closed_on": _d(cl) if cl else None}
            for i, t, lv, by, on, to, dec, cl in rows]


# ---------------------------------------------------------------- finance ---
_BUDGET = [
    ("总经理办公室", "meeting", "20000", "启动会、高层简报"),
    ("项目管理部", "labour", "120000", "项目管理人员补贴"),
    ("项目管理部", "meeting", "30000", "周例会、复盘会"),
    ("项目管理部", "outsourcing", "80000", "数字化咨询顾问"),
    ("项目管理部", "other", "10000", "印刷、办公"),
    ("市场部", "outsourcing", "60000", "市场调研、宣传推广"),
    ("市场部", "travel", "10000", "客户走访"),
    ("市场部", "meeting", "15000", "需求研讨会"),
    ("市场部", "other", "10000", "营销素材"),
    ("销售部", "training", "20000", "销售团队培训"),
    ("销售部", "other", "8000", None),
    ("客户服务部", "labour", "60000", "调研访谈与加班"),
    ("客户服务部", "training", "40000", "知识库与话术培训"),
    ("产品研发部", "labour", "300000", "研发人员项目津贴"),
    ("产品研发部", "software", "120000", "设计与开发工具授权"),
    ("产品研发部", "travel", "15000", "异地需求调研"),
    ("信息技术部", "equipment", "180000", "服务器、网络与安全设备"),
    ("信息技术部", "software", "150000", "数据库、中间件、协作平台"),
    ("信息技术部", "outsourcing", "200000", "呼叫中心与CRM接口外包"),
    ("信息技术部", "labour", "90000", "IT人员加班"),
    ("财务部", "labour", "20000", None),
    ("财务部", "other", "5000", None),
    ("质量管理部", "labour", "30000", None),
    ("质量管理部", "outsourcing", "60000", "第三方测试"),
    ("质量管理部", "training", "10000", "质量体系培训"),
]

# date, department, category, amount, description, approver, task
_EXPENSES = [
    ("02-26", "项目管理部", "outsourcing", "20000.00", "数字化咨询顾问服务费（首期，立项筹备）",
     "王建国", "1.2", _FEB_INVOICES[0]),
    ("02-28", "信息技术部", "software", "12800.00", "企业协作平台账号扩容（3个月）", "徐慧", "1.5",
     _FEB_INVOICES[1]),
    ("03-02", "总经理办公室", "meeting", "3560.00", "项目启动会场地及物料", "徐慧", "1.1", None),
    ("03-04", "项目管理部", "other", "1285.50", "项目章程及说明书印刷装订", "徐慧", "1.2", None),
    ("03-05", "项目管理部", "labour", "8600.00", "启动阶段项目管理人员加班补贴", "徐慧", "1", None),
    ("03-10", "产品研发部", "software", "38000.00", "原型设计与协作软件年度授权", "徐慧", "3.1",
     None),
    ("03-11", "质量管理部", "training", "4800.00", "质量管理体系内审员培训", "徐慧", "2.8", None),
    ("03-12", "财务部", "other", "650.00", "预算评审会资料印刷", "徐慧", "2.6", None),
    ("03-13", "信息技术部", "equipment", "86500.00", "应用服务器2台", "王建国", "3.2.1", None),
    ("03-16", "信息技术部", "equipment", "23960.00", "测试终端及网络交换设备", "徐慧", "3.2.1", None),
    ("03-16", "客户服务部", "labour", "6400.00", "客户服务现状调研访谈劳务补贴", "徐慧", "3.1.1", None),
    ("03-17", "市场部", "outsourcing", "18000.00", "第三方市场调研服务", "徐慧", "3.1.2", None),
    ("03-18", "市场部", "travel", "2846.30", "重点区域客户走访差旅", "徐慧", "3.1.2", None),
    ("03-18", "销售部", "travel", "3250.80", "重点客户拜访差旅（销售流程调研）", "徐慧", "3.1.3",
     DEMO_UNBUDGETED_INVOICE),
    ("03-19", "市场部", "meeting", "1480.00", "客户需求研讨会", "徐慧", "3.1.2", None),
    ("03-19", "产品研发部", "travel", "1920.00", "异地分公司需求调研住宿费", "徐慧", "3.1.4",
     DEMO_DUPLICATE_INVOICE),
    ("03-20", "信息技术部", "outsourcing", "120000.00", "呼叫中心系统对接外包合同首付款", "王建国",
     "3.3.4", None),
    ("03-20", "项目管理部", "meeting", "2380.00", "第3周例会及需求研讨会", "徐慧", "4.1", None),
    ("03-23", "信息技术部", "software", "45600.00", "数据库及中间件许可", "徐慧", "3.2.1", None),
    ("03-24", "客户服务部", "training", "8500.00", "知识库编写规范培训", "徐慧", "3.4.2", None),
    ("03-24", "产品研发部", "travel", "1920.00", "异地分公司需求调研住宿费", "徐慧", "3.1.4",
     DEMO_DUPLICATE_INVOICE),
    ("03-25", "质量管理部", "outsourcing", "24000.00", "第三方测试服务（首期）", "徐慧", "3.5.1", None),
    ("03-25", "信息技术部", "outsourcing", "90000.00", "CRM接口开发外包合同首付款", "王建国", "3.3.3",
     None),
    ("03-26", "产品研发部", "labour", "45000.00", "研发人员项目津贴（3月）", "罗建华", "3.3", None),
    ("03-27", "市场部", "other", "3600.00", "营销素材设计", "徐慧", "3.4.4", None),
    ("03-27", "信息技术部", "labour", "18000.00", "IT人员对接加班费（3月）", "徐慧", "3.3.4", None),
    ("03-30", "销售部", "training", "5200.00", "销售顾问业务培训", "徐慧", "3.4.7", None),
    ("03-30", "项目管理部", "outsourcing", "20000.00", "数字化咨询顾问服务费（二期）", "王建国", "3",
     None),
    ("03-31", "总经理办公室", "meeting", "2150.60", "3月月度高层简报会", "徐慧", "4.7", None),
    ("03-31", "项目管理部", "labour", "12000.00", "项目管理人员补贴（3月）", "徐慧", "4.1", None),
    ("03-31", "财务部", "labour", "3500.00", "财务协调员补贴（3月）", "罗建华", "3.7.2", None),
    ("03-31", "客户服务部", "labour", "9800.00", "知识库整理加班费（3月）", "徐慧", "3.4.2", None),
    ("03-31", "质量管理部", "labour", "6000.00", "质量监督人员补贴（3月）", "徐慧", "2.8", None),
    ("04-01", "产品研发部", "software", "26800.00", "报表开发组件授权", "徐慧", "3.3.7", None),
    ("04-01", "信息技术部", "equipment", "12450.75", "网络安全设备", "徐慧", "3.2.1", None),
    ("04-01", "客户服务部", "training", "3280.40", "客服话术培训讲师费", "徐慧", "3.4.3", None),
]


def _budget_records() -> list[dict]:
    return [{"department": dept, "category": cat, "amount": Decimal(amount), "notes": notes}
            for dept, cat, amount, notes in _BUDGET]


def _expense_records() -> list[dict]:
    rng = random.Random(20260401)
    records = []
    for date, dept, cat, amount, desc, approver, task, invoice in _EXPENSES:
        if invoice is None:
            invoice = f"264420000001{rng.randrange(10**8):08d}"
        records.append({"date": _d(date), "department": dept, "category": cat,
                        "amount": Decimal(amount), "description": desc, "invoice_no": invoice,
                        "approver": approver, "task": task})
    return records


# --------------------------------------------------------------- meetings ---
_WEEKLY = "全体项目成员（各部门对接人）"


def _meeting_records() -> list[dict]:
    rows = [
        ("03-02", "weekly", "王建国、张伟及各部门对接人、总监（启动会暨第1周例会，10:00-11:00）",
         "发布项目目标、范围、里程碑与成功标准；各部门3月5日前提交资源承诺表",
         "汇总各部门资源承诺表", "赵敏", "03-05", True),
        ("03-02", "weekly", "王建国、张伟及各部门对接人、总监（启动会暨第1周例会，10:00-11:00）",
         "建立企业微信项目群与共享文档空间", "开通项目群与共享文档权限", "李明辉", "03-04", True),
        ("03-09", "weekly", _WEEKLY, "启动WBS分解，各部门认领任务并明确交付物、责任人、截止时间",
         "各部门3月11日前完成任务认领", "张伟", "03-11", True),
        ("03-16", "weekly", _WEEKLY, "任务协作清单经总负责人审批发布，进入执行阶段",
         "3月19日前完成三项需求调研", "何志强", "03-19", True),
        ("03-23", "weekly", _WEEKLY, "移动端范围已由总负责人决策纳入二期；需求调研报告延期至3月26日",
         "提交需求调研报告", "许静", "03-26", True),
        ("03-25", "standup", "李明辉、杨帆、高远（系统对接组）", "呼叫中心接口文档仍未到位",
         "催办供应商提供接口文档", "李明辉", "03-26", True),
        ("03-26", "standup", "李明辉、杨帆、高远（系统对接组）", "先用挡板程序模拟呼叫中心接口",
         "搭建接口挡板环境", "杨帆", "03-27", True),
        ("03-27", "urgent", "张伟、李明辉、高远、邓文博", "呼叫中心对接阻塞，要求供应商书面确认交付时间",
         "取得供应商书面交付承诺", "高远", "03-30", True),
        ("03-30", "weekly", _WEEKLY,
         "呼叫中心对接阻塞，3月31日仍无进展即升级至项目经理协调；知识库整理增派人手；"
         "下周例会因清明节假期（4月6日）顺延至4月7日（周二）10:00",
         "约谈呼叫中心供应商", "张伟", "04-03", False),
        ("03-30", "weekly", _WEEKLY, "知识库整理进度滞后，客户服务部内部增派2人",
         "提交知识库整理追赶计划", "林淑芬", "04-03", False),
        ("03-31", "standup", "李明辉、杨帆、高远（系统对接组）", "CRM接口权限申请已提交",
         "确认CRM接口权限开通时间", "杨帆", "04-01", False),
        ("03-31", "briefing", "王建国、陈志远及各部门总监",
         "3月进度总体可控：2项任务阻塞、4项逾期；信息技术部外包服务支出已超预算，需提交预算调整申请",
         "提交外包服务预算调整申请", "邓文博", "04-03", False),
    ]
    return [{"date": _d(d), "type": t, "attendees": a, "decisions": dec, "action_item": item,
             "action_owner": owner, "action_due": _d(due), "action_done": done}
            for d, t, a, dec, item, owner, due, done in rows]


# ----------------------------------------------------------- deliverables ---
def _deliverable_records(tasks: list[dict]) -> list[dict]:
    by_wbs = {t["wbs"]: t for t in tasks}
    wanted = ["1.2", "1.3", "1.4", "1.7", "2.1", "2.2", "2.4", "2.6", "2.7", "2.8", "3.1.1",
              "3.1.2", "3.1.3", "3.1.4", "3.1.5", "3.2.1", "3.2.3", "3.2.4", "3.4.1", "3.4.2",
              "3.5.3", "3.5.4", "3.6.1", "3.6.4", "3.7.1", "4.5", "5.2", "5.4"]
    records = []
    for wbs in wanted:
        t = by_wbs[wbs]
        rec = {"name": t["deliverable"], "task": wbs, "department": t["department"],
               "accepted": False, "accepted_on": None, "signed_by": None, "notes": None}
        if t["status"] == "done":
            finished = t["actual_finish"] or t["planned_finish"]
            accepted_on = min(finished + dt.timedelta(days=1 if wbs.startswith("3") else 0),
                              STATUS_DATE)
            rec.update(accepted=True, accepted_on=accepted_on,
                       signed_by="王建国" if wbs in ("1.2", "2.4") else "胡雪梅")
        records.append(rec)
    return records


# ---------------------------------------------------------------- project ---
def demo_project(lang: str = "zh") -> ProjectData:
    """The filled demo project (see the module docstring)."""
    settings = default_settings(lang)
    holidays = official_holiday_rows(dt.date(2026, 1, 1), dt.date(2026, 12, 31), lang)
    cal = WorkCalendar.from_holidays(holidays)

    task_records = _task_records(cal, settings)
    tasks = frame("tasks", task_records, lang)
    tf = flags.task_flags(tasks, STATUS_DATE, cal, int(settings["due_soon_days"]))
    for key in ("days_late", "overdue", "due_soon"):
        tasks[key] = tf[key]

    risks = frame("risks", _risk_records(), lang)
    rf = flags.risk_flags(risks, STATUS_DATE, int(settings["risk_medium"]),
                          int(settings["risk_high"]), int(settings["risk_review_days"]))
    for key in ("score", "level", "review_overdue"):
        risks[key] = rf[key]

    budget = frame("budget", _budget_records(), lang)
    expenses = frame("expenses", _expense_records(), lang)
    bu = flags.budget_used(budget, expenses)
    for key in ("used", "remaining", "used_pct"):
        budget[key] = bu[key]

    tables = {
        "team": frame("team", _team_records(), lang),
        "departments": frame("departments", _department_records(), lang),
        "resources": frame("resources", _resource_records(), lang),
        "tasks": tasks,
        "milestones": frame("milestones", _milestone_records(), lang),
        "risks": risks,
        "escalations": frame("escalations", _escalation_records(), lang),
        "budget": budget,
        "expenses": expenses,
        "meetings": frame("meetings", _meeting_records(), lang),
        "deliverables": frame("deliverables", _deliverable_records(task_records), lang),
        "holidays": holidays,
        "findings": frame("findings", [], lang),
        "changelog": frame("changelog", [], lang),
    }
    overview = {
        "name": PROJECT_NAME,
        "goal": "建设统一的客户服务数字化平台，整合呼叫中心、在线客服、工单与知识库，"
                "客户问题一次解决率提升至85%，平均响应时间缩短40%",
        "scope_in": "客服工单、在线客服与知识库模块；呼叫中心与CRM系统对接；短信与微信消息通道；"
                    "历史数据迁移；服务数据看板；用户培训与上线推广",
        "scope_out": "移动端App（纳入二期）；海外业务；呼叫中心硬件更换",
        "start_date": START,
        "end_date": END,
        "sponsor": "陈志远",
        "project_lead": "王建国",
        "pm": "张伟",
        "success_criteria": "4月24日前系统上线；UAT缺陷全部关闭；一线客服培训覆盖率100%；"
                            "项目支出不超过批准预算",
        "current_phase": "execution",
        "status_date": STATUS_DATE,
    }
    return ProjectData(tables=tables, overview=overview, settings=settings,
                       lists=default_lists(lang), lang=lang)
