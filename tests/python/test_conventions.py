"""C API conventions checked over the sources (docs/architecture.md): the first problem in a call is the
one reported, so null checks follow the order of the arguments."""
import pathlib
import re

CAPI = pathlib.Path(__file__).resolve().parents[2] / "capi"


def test_null_checks_follow_argument_order():
    functions = 0
    for path in sorted(CAPI.glob("*.cpp")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"cmrv_status (cmrv_\w+)\(([^)]*)\)\s*\{(.*?)\n\}", text, re.S):
            name, params, body = m.groups()
            names = [re.split(r"[\s*&]+", p.strip())[-1] for p in params.split(",") if p.strip()]
            checked = [c for c in re.findall(r'NullArgument\("(\w+)"\)', body) if c in names]
            order = [names.index(c) for c in checked]
            assert order == sorted(order), f"{path.name}: {name} checks {checked} out of argument order"
            functions += 1
    assert functions > 60  # every cmrv_status function of the C API was read
