"""Spec: the CLI exits 0/1/2, prints errors without a traceback, and never half-publishes."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

from conftest import tree_digest


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hub", *args], capture_output=True, text=True, cwd=cwd)


def test_check_ok(tree):
    r = run("check", "--content", str(tree.root))
    assert r.returncode == 0, r.stderr
    assert "OK: 1 kommunedel, " in r.stdout


def test_usage_error_exits_2(tree):
    assert run("build", "--bogus").returncode == 2
    assert run("check", "--format", "xml").returncode == 2


def test_help_and_usage_errors_are_in_bokmal():
    """The command line speaks as its messages do: click's words and every command's help."""
    top = run("--help").stdout
    assert top.startswith("Bruk: python -m hub [OPTIONS] COMMAND [ARGS]...") and "\nValg:\n" in top
    assert "Statiske kommunedelsportaler fra Markdown og YAML." in top and "Vis denne hjelpen og avslutt." in top
    assert "  check   Sjekk innholdsmappen og vis alle feil" in top
    build = run("build", "-h").stdout
    assert "Innholdsmappen.  [standard: content]" in build and "Ikke lag søkeindeksen (Pagefind)." in build
    wrong = run("check", "--format", "xml")
    assert wrong.returncode == 2 and wrong.stderr.splitlines()[-1] == (
        "Feil: Ugyldig verdi for '--format': 'xml' er ikke én av 'text', 'github', 'gitlab', 'json'.")
    assert "Prøv 'python -m hub check --help' for hjelp." in wrong.stderr
    missing = run("new", "service")
    assert missing.returncode == 2 and missing.stderr.splitlines()[-1] == "Feil: Mangler argumentet 'DISTRICT'."


def test_every_help_text_has_its_bokmal_translation():
    """A help text added in English without its line in hub/locale/nb/LC_MESSAGES/cli.po would show in
    English: every command's and option's help, all the way down, has its translation."""
    import click
    from babel.messages.pofile import read_po

    from hub.cli import main, say
    from hub.i18n import LOCALE_DIR

    with (LOCALE_DIR / "nb/LC_MESSAGES/cli.po").open("rb") as fh:  # help shown in this process is in it already
        shown = {m.string for m in read_po(fh, locale="nb") if m.id and m.string}
    untranslated: list[str] = []

    def walk(command: click.Command, ctx: click.Context) -> None:
        texts = [command.help, *(p.help for p in command.params if isinstance(p, click.Option))]
        untranslated.extend(t for t in texts if t and say(t) == inspect.cleandoc(t) not in shown)
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                walk(sub, click.Context(sub, parent=ctx))

    walk(main, click.Context(main))
    assert untranslated == []


def test_content_errors_exit_1_with_every_error_and_no_traceback(tree):
    tree.write("districts/nordby/services/helsestasjon.md", "---\ntitle: x\ncategory: helse\n---\n")
    tree.write("districts/nordby/pages/tom.md", "")
    r = run("check", "--content", str(tree.root))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    assert r.stderr.splitlines() == [
        "content/districts/nordby/pages/tom.md:1: filen er tom",
        "content/districts/nordby/services/helsestasjon.md:2: summary: mangler (feltet er påkrevd)",
        "2 feil i innholdet.",  # check writes nothing; a build says it published nothing
    ]


def test_every_command_that_reads_content_names_a_missing_folder_and_how_to_make_one(tmp_path):
    missing = tmp_path / "innhold"
    for args, outcome in ((("check",), ""), (("build", "--out", str(tmp_path / "site")), " Ingenting ble publisert."),
                          (("serve", "--port", "0"), " Forhåndsvisningen startet ikke.")):
        r = run(*args, "--content", str(missing))
        assert (r.returncode, r.stdout) == (1, ""), r.stderr
        assert r.stderr.splitlines() == [
            "innhold: innholdsmappen finnes ikke: velg den med --content, eller lag en ny med 'knutepunkt new site NAVN'",
            f"1 feil i innholdet.{outcome}"]
    assert list(tmp_path.iterdir()) == []


def test_failed_build_leaves_previous_output_byte_for_byte(tree, tmp_path):
    out = tmp_path / "site"
    first = run("build", "--content", str(tree.root), "--out", str(out), "--no-search")
    assert first.returncode == 0, first.stderr
    before = tree_digest(out)
    assert "nordby/index.html" in before
    tree.write("districts/nordby/district.yaml", "name: [broken\n")
    second = run("build", "--content", str(tree.root), "--out", str(out), "--no-search")
    assert second.returncode == 1
    assert "content/districts/nordby/district.yaml:1: ugyldig YAML: listen lukkes ikke" in second.stderr
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".knutepunkt-cache", "content", "site"]  # no staging


def test_check_github_format(tree):
    tree.write("districts/nordby/services/helsestasjon.md", "---\ntitle: x\ncategory: helse\n---\n")
    r = run("check", "--content", str(tree.root), "--format", "github")
    assert r.returncode == 1
    assert r.stdout.strip() == ("::error file=content/districts/nordby/services/helsestasjon.md,line=2::"
                                "summary: mangler (feltet er påkrevd)")


def test_a_district_built_alone_needs_an_out_of_its_own(tree, tmp_path):
    """The default ``build/`` holds the whole portal: one district's site is not written over it."""
    r = run("build", "--content", str(tree.root), "--district", "nordby", "--no-search", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "knutepunkt build: --district lager et eget nettsted for én kommunedel: "
                                            "oppgi hvor med --out (f.eks. --out build-nordby), så portalen i build/ "
                                            "ikke erstattes\n")
    assert not (tmp_path / "build").exists()


def test_new_names_the_district_meant(tree):
    r = run("new", "service", "nordbi", "Bibliotek", "--content", str(tree.root))
    assert r.returncode == 1 and r.stderr.endswith("ukjent kommunedel 'nordbi' (mente du nordby?)\n"), r.stderr
    r = run("new", "service", "nordby", "Bibliotek", cwd=tree.root)  # inside the content folder: ./content is not there
    assert r.returncode == 1 and r.stderr.startswith("content: innholdsmappen finnes ikke"), r.stderr


def test_unknown_district_for_a_standalone_build(tree, tmp_path):
    r = run("build", "--content", str(tree.root), "--out", str(tmp_path / "x"), "--district", "finnesikke")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{tree.root}: --district: ukjent kommunedel 'finnesikke' (mappene i districts/: nordby)" in r.stderr
    assert not (tmp_path / "x").exists()
    r = run("build", "--content", str(tree.root), "--out", str(tmp_path / "x"), "--district", "nordbye")
    assert "ukjent kommunedel 'nordbye' (mente du nordby?)" in r.stderr


def test_serve_on_a_port_in_use_says_so_in_norwegian_and_exits_as_a_usage_error(tree):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        r = run("serve", "--content", str(tree.root), "--port", str(port))
    assert r.returncode == 2
    assert r.stderr == (f"knutepunkt serve: kan ikke lytte på 127.0.0.1:{port}: porten er i bruk av et annet "
                        f"program; velg en annen med --port, f.eks. --port {port + 1}\n")
