"""The distribution's headless Chromium, offline, for looking at a page:
the browser tests and the README's pictures (``scripts/page_pictures.py``)
use it (selenium and Debian's ``chromium`` / ``chromium-driver``; no browser
is ever downloaded).

The browser starts with a fresh profile, no background networking, a proxy
that goes nowhere and the DevTools network switched offline, so a page that
tried to load anything from the network would fail visibly (and the
performance log shows what it asked for).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "available",
    "chromium",
    "set_width",
    "page_height",
    "screenshot",
    "requested_urls",
    "FLAGS",
]

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
DRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)


def _first(paths) -> str | None:
    return next((p for p in paths if Path(p).exists()), None)


def available() -> tuple[str, str] | None:
    """(chromium, chromedriver) when both are installed and selenium imports."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return None
    exe, drv = _first(CHROMIUM), _first(DRIVER) or shutil.which("chromedriver")
    return (exe, drv) if exe and drv else None


@contextlib.contextmanager
def chromium(width: int = 1280, height: int = 900) -> Iterator:
    """A selenium WebDriver on headless Chromium, offline."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = available()
    if found is None:
        raise RuntimeError("chromium, chromium-driver and selenium are needed")
    exe, drv = found
    profile = tempfile.mkdtemp(prefix="xlcollab-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = exe
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(drv), options=opts)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        set_width(driver, width, height)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def set_width(
    driver, width: int, height: int = 900, mobile: bool | None = None, scale: float | None = None
) -> None:
    """Lay the page out at ``width`` CSS pixels (a phone below 600)."""
    phone = width < 600 if mobile is None else mobile
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": height,
            "deviceScaleFactor": scale or (2 if phone else 1),
            "mobile": phone,
        },
    )


def screenshot(driver, target: Path, width: int, max_height: int | None = None) -> Path:
    """The whole page (or its top ``max_height`` CSS pixels) at ``width``
    as a PNG, one device pixel per CSS pixel."""
    set_width(driver, width, 900, scale=1)
    height = page_height(driver) if max_height is None else min(page_height(driver), max_height)
    set_width(driver, width, height, scale=1)
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
    )
    import base64

    target.write_bytes(base64.b64decode(shot["data"]))
    return target


def page_height(driver) -> int:
    return int(driver.execute_script("return document.documentElement.scrollHeight"))


def requested_urls(driver) -> list[str]:
    """Every URL the page requested since the last call (performance log)."""
    import json

    out = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            out.append(msg["params"]["request"]["url"])
    return out
