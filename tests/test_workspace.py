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


def test_a_kept_scan_of_tanks_follows_the_folder_and_never_a_folder_changed_within_a_tick(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve keeps the last scan of tanks/ while the folder's stat is the same. Here the folder's clock is in the
    test's hands: an entry added with a new time is seen; one added within the same tick as a scan is seen too,
    because a folder changed within two seconds of its scan is never kept."""
    import os
    import time
    from types import SimpleNamespace

    from doetank_cli import workspace

    monkeypatch.setattr(workspace, "_scans", {})  # remember_scans(), for this test only
    ws = Workspace(tmp_path)
    (ws.tanks / "eerste").mkdir(parents=True)
    clock = {"ns": time.time_ns() - 60 * 10**9}  # the folder's modification time: a minute ago
    real = os.stat
    scanned: list[Path] = []
    real_scan = workspace._scan

    def folder_stat(path: object, *args: object, **kwargs: object) -> object:
        st = real(path, *args, **kwargs)  # type: ignore[arg-type]
        if str(path) != str(ws.tanks):
            return st
        now = clock["ns"]
        return SimpleNamespace(st_mode=st.st_mode, st_mtime_ns=now, st_ctime_ns=now, st_size=0, st_ino=1)

    def counted_scan(tanks: Path) -> tuple[list[str], list[str], bool]:
        scanned.append(tanks)
        return real_scan(tanks)

    monkeypatch.setattr(os, "stat", folder_stat)
    monkeypatch.setattr(workspace, "_scan", counted_scan)
    assert ws.scan() == (["eerste"], [])
    assert ws.scan() == (["eerste"], []) and len(scanned) == 1  # kept: the folder is as it was
    (ws.tanks / "tweede").mkdir()
    clock["ns"] += 10**9  # the folder's time moves on, as adding an entry does
    assert ws.scan() == (["eerste", "tweede"], [])
    (ws.tanks / "eerste").rename(ws.tanks / "derde")
    (ws.tanks / "los.txt").write_text("x")
    clock["ns"] += 10**9
    assert ws.scan() == (["derde", "tweede"], ["los.txt"])
    clock["ns"] = time.time_ns()  # changed just now: within a tick of the next scan
    assert ws.scan() == (["derde", "tweede"], ["los.txt"])
    (ws.tanks / "vierde").mkdir()  # and again, in the same tick: the folder's time does not move
    assert ws.scan() == (["derde", "tweede", "vierde"], ["los.txt"])


def test_a_kept_scan_of_tanks_follows_a_linked_tank_folder_whose_target_comes_and_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tank folder that is a link (to a folder inside tanks/) is a tank while its target is a folder, and a loose
    entry while it is not; the target comes and goes without tanks/ itself changing, so a scan with a link in it is
    never kept: serve's board shows the tank as soon as its folder is there, and names the link when it is gone."""
    import os
    import time
    from types import SimpleNamespace

    from doetank_cli import workspace

    monkeypatch.setattr(workspace, "_scans", {})  # remember_scans(), for this test only
    ws = Workspace(tmp_path)
    (ws.tanks / ".elders").mkdir(parents=True)
    (ws.tanks / "gelinkt").symlink_to(Path(".elders") / "gelinkt", target_is_directory=True)
    long_ago = time.time_ns() - 60 * 10**9  # tanks/ last changed a minute ago, and not since: a scan may be kept
    real = os.stat

    def folder_stat(path: object, *args: object, **kwargs: object) -> object:
        st = real(path, *args, **kwargs)  # type: ignore[arg-type]
        if str(path) != str(ws.tanks):
            return st
        return SimpleNamespace(st_mode=st.st_mode, st_mtime_ns=long_ago, st_ctime_ns=long_ago, st_size=0, st_ino=1)

    monkeypatch.setattr(os, "stat", folder_stat)
    assert ws.scan() == ([], ["gelinkt"])  # the link leads nowhere yet
    (ws.tanks / ".elders" / "gelinkt").mkdir()
    assert ws.scan() == (["gelinkt"], [])
    (ws.tanks / ".elders" / "gelinkt").rmdir()
    assert ws.scan() == ([], ["gelinkt"])
