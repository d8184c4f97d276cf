from pathlib import Path

import pytest

from doetank_cli.errors import DataError, UsageError, WorkspaceError
from doetank_cli.workspace import Workspace, find, is_slug, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Slimmer Vergaderen bij de Gemeente!", "slimmer-vergaderen-bij-de-gemeente"),
        ("Eén keer je verhaal", "een-keer-je-verhaal"),
        ("Café Groß Ærø", "cafe-gross-aero"),
        ("  --Nieuwe   collega's__snel-- ", "nieuwe-collegas-snel"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\x00c", "a-b-c"),
    ],
)
def test_names_become_safe_lowercase_ascii_slugs(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert is_slug(slug)


@pytest.mark.parametrize("name", ["", "!!!", "—", " \u200b "])
def test_names_without_letters_or_digits_give_no_slug(name: str) -> None:
    assert slugify(name) == ""


@pytest.mark.parametrize("name", ["日本語", "مشكلة الاجتماعات", "בעיה בישיבות", "Ελληνικά", "🚀 会议"])
def test_a_name_in_any_script_gets_a_slug_of_its_own_the_same_every_time(name: str) -> None:
    slug = slugify(name)
    assert is_slug(slug) and slug.startswith("tank-") and slug == slugify(name)
    assert slugify(name + " 2") != slug


@pytest.mark.parametrize("name", ["con", "NUL", "Aux!", "com1", "LPT9", "prn"])
def test_a_name_windows_reserves_gets_a_suffix(name: str) -> None:
    assert slugify(name) == f"{name.lower().strip('!')}-tank"
    assert slugify("Concept") == "concept" and slugify("com10") == "com10"


def test_a_very_long_name_is_cut_at_a_word_boundary() -> None:
    slug = slugify("heel " * 40)
    assert len(slug) <= 60 and is_slug(slug) and not slug.endswith("-")


@pytest.mark.parametrize("bad", ["..", "../x", "a/b", "a\x00", "", "A", "-a"])
def test_paths_are_refused_as_slugs(tmp_path: Path, bad: str) -> None:
    (tmp_path / "tanks").mkdir()
    with pytest.raises(UsageError):
        Workspace(tmp_path).tank_dir(bad)


def test_a_symlinked_tank_pointing_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "tanks").mkdir()
    (tmp_path / "elders").mkdir()
    (tmp_path / "tanks" / "lek").symlink_to(tmp_path / "elders")
    # elders/ is in the workspace, but not in tanks/: a tank's files stay in tanks/
    with pytest.raises(DataError, match=r"tanks/lek is a link to .*elders, outside tanks"):
        Workspace(tmp_path).record_path("lek")


def test_a_unique_prefix_addresses_a_tank_and_an_ambiguous_one_says_which(tmp_path: Path) -> None:
    for slug in ("slimmer-vergaderen", "slimmer-werken", "archief"):
        (tmp_path / "tanks" / slug).mkdir(parents=True)
    ws = Workspace(tmp_path)
    assert ws.resolve("arch") == "archief"
    assert ws.resolve("slimmer-v") == "slimmer-vergaderen"
    with pytest.raises(UsageError, match="slimmer-vergaderen, slimmer-werken"):
        ws.resolve("slimmer")
    with pytest.raises(UsageError, match="no tank 'zzz'"):
        ws.resolve("zzz")


def test_the_workspace_is_found_from_a_subfolder_and_from_doetank_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tanks" / "t").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "tanks" / "t")
    assert find().root == tmp_path
    monkeypatch.chdir("/")
    monkeypatch.setenv("DOETANK_ROOT", str(tmp_path))
    assert find().root == tmp_path


def test_no_workspace_names_doetank_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(WorkspaceError) as caught:
        find()
    assert "doetank init" in (caught.value.hint or "")
