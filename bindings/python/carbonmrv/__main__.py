"""``python3 -m carbonmrv report FILE [--format html|csv|xlsx] [--lang zh|en] [--template ghg_protocol|national]
[-o OUT]``: the enterprise
report (carbonmrv.report). The C++ CLI's ``carbonmrv report`` runs this, since the charts and workbooks
come from matplotlib and openpyxl."""
import argparse
import pathlib
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="carbonmrv")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="the enterprise report: HTML page, CSV summary or Excel workbook")
    rep.add_argument("file", help="an enterprise document (carbonmrv.enterprise/1 JSON)")
    rep.add_argument("--format", choices=["html", "csv", "xlsx"], default="html")
    rep.add_argument("--lang", choices=["zh", "en"], default="zh")
    rep.add_argument("--template", choices=["ghg_protocol", "national"], default="ghg_protocol",
                     help="csv: the GHG Protocol summary or the four national report tables")
    rep.add_argument("-o", "--output", help="the file to write (default: FILE's name with the format's suffix)")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import carbonmrv as cm
    from carbonmrv import report

    try:
        ent = cm.Enterprise.from_file(args.file)
        out = pathlib.Path(args.output or pathlib.Path(args.file).with_suffix("." + args.format).name)
        report.write(ent, out, fmt=args.format, lang=args.lang, template=args.template)
    except OSError as e:
        print(f"carbonmrv: {e.filename}: {e.strerror}", file=sys.stderr)
        return 1
    except (cm.CarbonmrvError, ValueError) as e:
        print(f"carbonmrv: {args.file}: {e}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
