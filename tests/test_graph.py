"""The cyclic parts of a dependency graph."""

from hypothesis import given
from hypothesis import strategies as st

from xlcollab.core.graph import cyclic_components


def _comps(edges):
    return sorted(sorted(c) for c in cyclic_components(list(edges), lambda n: edges.get(n, ())))


def test_a_chain_has_no_cycle():
    assert _comps({"1": ["2"], "2": ["3"], "3": []}) == []


def test_cycles_and_self_links():
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["d"], "e": ["a"], "f": []}
    assert _comps(edges) == [["a", "b", "c"], ["d"]]


def test_a_long_chain_does_not_recurse():
    n = 50_000
    edges = {i: [i + 1] for i in range(n)}
    edges[n] = [0]
    (comp,) = cyclic_components(list(edges), lambda v: edges[v])
    assert len(comp) == n + 1


@given(st.dictionaries(st.integers(0, 12), st.lists(st.integers(0, 12), max_size=3), max_size=13))
def test_a_node_is_cyclic_iff_it_reaches_itself(edges):
    def reaches_itself(start):
        seen, todo = set(), list(edges.get(start, ()))
        while todo:
            v = todo.pop()
            if v == start:
                return True
            if v not in seen:
                seen.add(v)
                todo.extend(edges.get(v, ()))
        return False

    nodes = set(edges) | {v for vs in edges.values() for v in vs}
    cyclic = {v for c in cyclic_components(sorted(nodes), lambda v: edges.get(v, ())) for v in c}
    assert cyclic == {v for v in nodes if reaches_itself(v)}
