"""Working together as a team would (issue #12): one bare server, clones with their own git identities (Anna, Bram,
Sanne, and a laptop without one), every failure of the issue tried the way it was reproduced."""

from __future__ import annotations

import re

import pytest
from conftest import Clone, Network, doetank_in, git

from doetank_cli import store

pytestmark = pytest.mark.e2e

T = "slimmer-vergaderen"
RECORD = f"tanks/{T}/doetank.yaml"
NOTE = f"tanks/{T}/01-ontdekken.md"


def server_head(network: Network) -> str:
    return git(network.server, "rev-parse", "main").strip()


def server_file(network: Network, path: str) -> str:
    return git(network.server, "show", f"main:{path}")


def server_files(network: Network) -> list[str]:
    return git(network.server, "ls-tree", "-r", "--name-only", "main").splitlines()


def edit(clone: Clone, path: str, old: str, new: str) -> None:
    file = clone.path(path)
    text = file.read_text(encoding="utf-8")
    assert old in text, (old, text)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


# --------------------------------------------------------------------------- 1. alike items never collapse


def test_1_a_consult_held_on_one_laptop_survives_a_merge_with_alike_consults(
    team: tuple[Clone, Clone, Clone], network: Network
) -> None:
    anna, bram, sanne = team
    anna("consult", "slim", "--expert", "Eva", "--vraag", "Hoe?", "--datum", "2026-10-01")
    anna("consult", "slim", "--expert", "Eva", "--vraag", "Hoe?", "--datum", "2026-10-15")
    anna("consult", "slim", "--expert", "Eva", "--held", "--datum", "2026-10-20")
    anna("sync")
    bram("sync")
    bram("consult", "slim", "--expert", "Eva", "--held", "--datum", "2026-11-01")
    bram("sync")
    anna("plan", "slim", "--einddatum", "2027-06-30")
    anna("sync")
    sanne("sync")
    held = sorted(str(c.gehouden) for c in sanne.tank(T).consulten)
    assert held == ["2026-10-20", "2026-11-01"]  # Bram's "held" is on the server
    assert "gehouden: 2026-11-01" in server_file(network, RECORD)


# --------------------------------------------------------------------------- 2. a clash on a multi-line value


def test_2_a_clash_on_a_multi_line_value_leaves_a_record_that_reads_and_resolve_decides_it(
    team: tuple[Clone, Clone, Clone],
) -> None:
    anna, bram, _sanne = team
    edit(anna, RECORD, "  probleem: Overleggen zonder besluit\n",
         "  probleem: |\n    Overleggen zonder besluit.\n    Niemand weet wie beslist.\n")  # fmt: skip
    anna("sync")
    bram("sync")
    edit(anna, RECORD, "Overleggen zonder besluit.", "Overleggen zonder enig besluit.")
    edit(bram, RECORD, "Niemand weet", "Geen mens weet")
    anna("sync")
    stopped = bram("sync", code=4)
    assert "vraagstuk.probleem: yours" in stopped.output
    tank = bram.tank(T)  # the record reads: every note line is a comment
    assert tank.vraagstuk.probleem == "Overleggen zonder besluit.\nGeen mens weet wie beslist.\n"
    assert len(store.conflict_notes(bram.record(T))) == 1
    checked = bram("check", code=1)
    assert "DT060" in checked.output
    bram("resolve", "--set", "vraagstuk.probleem=Overleggen zonder enig besluit; geen mens weet wie beslist.")
    anna("sync")
    assert anna.tank(T).vraagstuk.probleem == "Overleggen zonder enig besluit; geen mens weet wie beslist."


# --------------------------------------------------------------------------- 3. a refused push


def test_3_a_push_the_server_refuses_is_exit_4_with_the_servers_words_and_what_is_left(
    team: tuple[Clone, Clone, Clone], network: Network
) -> None:
    anna, _bram, _sanne = team
    before = server_head(network)
    network.hook("#!/bin/sh\necho 'Geen wijzigingen op vrijdag, groet van de beheerder' >&2\nexit 1\n")
    anna("plan", "slim", "--einddatum", "2027-06-30")
    refused = anna("sync", code=4)
    assert "Geen wijzigingen op vrijdag, groet van de beheerder" in refused.output
    assert "refused" in refused.output and "only on this computer (slimmer-vergaderen)" in refused.output
    assert "Shared with" not in refused.output
    assert server_head(network) == before


# --------------------------------------------------------------------------- 4. unreadable records are never shared


def test_4_an_unreadable_record_is_never_committed_or_pushed_and_never_called_removed(
    team: tuple[Clone, Clone, Clone], network: Network
) -> None:
    anna, _bram, _sanne = team
    before = server_head(network)
    edit(anna, RECORD, "fase: ontdekken", "fase: [ontdekken")
    stopped = anna("sync", code=3)
    assert re.search(rf"{RECORD}:\d+:", stopped.output) and "removed" not in stopped.output
    assert "Nothing was committed or shared" in stopped.output
    assert server_head(network) == before
    assert " M " + RECORD in "\n" + anna.git("status", "--porcelain")  # not committed either


def test_4_an_alias_bomb_is_refused_by_sync_before_anything_is_shared(
    team: tuple[Clone, Clone, Clone], network: Network
) -> None:
    anna, _bram, _sanne = team
    before = server_head(network)
    bomb = "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 12))
    anna.path(RECORD).write_text("naam: X\nfase: ontdekken\na0: &a0 [lol]\n" + bomb, encoding="utf-8")
    stopped = anna("sync", code=3)
    assert "anchors and aliases" in stopped.output and server_head(network) == before


def test_4_a_bad_record_committed_by_hand_is_not_pushed_and_one_that_came_in_is_named(
    team: tuple[Clone, Clone, Clone], network: Network
) -> None:
    anna, bram, _sanne = team
    edit(bram, RECORD, "fase: ontdekken", "fase: [ontdekken")
    bram.git("commit", "-qam", "hand edit")
    before = server_head(network)
    refused = bram("sync", code=3)
    assert RECORD in refused.output and server_head(network) == before
    bram.git("push", "-q", "origin", "main")  # git itself does not check: the record reaches the server
    came = anna("sync", code=3)
    assert RECORD in came.output and "came from the server (Bram" in came.output
    assert "removed" not in came.output


# --------------------------------------------------------------------------- 5. undecided conflicts do not spread


def clash(anna: Clone, bram: Clone) -> None:
    anna("plan", "slim", "--einddatum", "2027-05-31")
    bram("plan", "slim", "--einddatum", "2027-04-30")
    anna("sync")
    bram("sync", code=4)


def test_5_a_record_with_clash_notes_fails_check_and_is_never_pushed_after_a_bare_git_add(
    team: tuple[Clone, Clone, Clone], network: Network
) -> None:
    anna, bram, sanne = team
    clash(anna, bram)
    bram.git("add", RECORD)
    bram.git("commit", "-q", "--no-edit")
    checked = bram("check", code=1)
    assert "DT060 conflict-open" in checked.output and "doetank resolve" in checked.output
    before = server_head(network)
    refused = bram("sync", code=4)
    assert f"{RECORD}:2:" in refused.output and "doetank resolve" in refused.output
    assert server_head(network) == before
    assert bram("advance", "slim", "--force", "--reason", "haast", code=1).exit_code == 1  # --force does not pass it
    assert bram("waive", "slim", "DT060", "--reason", "later", code=2).exit_code == 2
    bram("resolve", "--ours")  # the notes were committed: keep the value in the file
    bram("sync")
    sanne("sync")
    assert "doetank-conflict" not in sanne.record(T) and str(sanne.tank(T).richtlijn.einddatum) == "2027-04-30"


# --------------------------------------------------------------------------- 6. nothing changes mid-merge


def test_6_a_change_during_an_unfinished_merge_is_refused_before_anything_is_written(
    team: tuple[Clone, Clone, Clone],
) -> None:
    anna, bram, _sanne = team
    clash(anna, bram)
    before = bram.path(RECORD).read_bytes()
    for args in (
        ("member", "add", "slim", "Eva", "--rol", "doetanker", "--organisatie", "UWV", "--sector", "publiek"),
        ("plan", "slim", "--einddatum", "2027-01-01", "--no-commit"),
        ("advance", "slim", "--force", "--reason", "nu"),
        ("new", "Nog een", "--vraagstuk", "V", "--organisatie", "O"),
        ("undo",),
    ):
        refused = bram(*args, code=4)
        assert "doetank resolve" in refused.output, args
    assert bram.path(RECORD).read_bytes() == before
    assert "UU " + RECORD in bram.git("status", "--porcelain")  # still undecided for git too
    assert not (bram.root / "tanks" / "nog-een").exists()
    assert "⚠" in bram("status").output


# --------------------------------------------------------------------------- 7. undo is your own


def test_7_undo_never_takes_back_a_colleagues_work(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, _sanne = team
    anna("consult", "slim", "--expert", "Eva", "--vraag", "Hoe?")
    anna("sync")
    bram("sync")
    refused = bram("undo", code=2)
    assert "no change of yours (Bram)" in refused.output
    assert len(bram.tank(T).consulten) == 1


def _bram_planned_then_anna_changed_the_same_record(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, _sanne = team
    bram("plan", "slim", "--einddatum", "2027-06-30")
    bram("sync")
    anna("sync")
    anna("kickoff", "slim", "--datum", "2026-11-20")
    anna("sync")
    bram("sync")


def test_7_undo_refuses_when_someone_else_changed_the_same_files_since(team: tuple[Clone, Clone, Clone]) -> None:
    _anna, bram, _sanne = team
    _bram_planned_then_anna_changed_the_same_record(team)
    refused = bram("undo", code=4)
    assert re.search(r"Anna changed the same files on \d+ \w+ \d{4}", refused.output)
    assert "nothing was changed" in refused.output
    assert bram.tank(T).richtlijn.einddatum is not None and bram.tank(T).kickoff is not None


def test_7_undo_names_the_change_it_refuses_in_the_words_of_the_log(team: tuple[Clone, Clone, Clone]) -> None:
    """The refusal quotes the change as `doetank log` shows it, not the raw commit subject ('doetank plan: ...')."""
    _anna, bram, _sanne = team
    _bram_planned_then_anna_changed_the_same_record(team)
    logged = bram.git("log", "-1", "--format=%s", "--author=Bram")
    from doetank_cli import render

    refused = bram("undo", code=4)
    assert f"after your change '{render.with_tank(logged)}'" in " ".join(refused.output.split())
    assert "doetank plan" not in refused.output


def test_7_a_second_undo_goes_one_further_back_and_dry_run_changes_nothing(team: tuple[Clone, Clone, Clone]) -> None:
    anna, _bram, _sanne = team
    anna("plan", "slim", "--einddatum", "2027-06-30")
    anna("kickoff", "slim", "--datum", "2026-11-20")
    head = anna.git("rev-parse", "HEAD")
    shown = anna("undo", "--dry-run")
    assert "Would undo" in shown.output and "kickoff" in shown.output and RECORD in shown.output
    assert anna.git("rev-parse", "HEAD") == head
    anna("undo")
    assert anna.tank(T).kickoff is None and anna.tank(T).richtlijn.einddatum is not None
    second = anna("undo")
    assert "guideline: end date" in second.output  # the plan change, said as a person reads it
    assert anna.tank(T).kickoff is None and anna.tank(T).richtlijn.einddatum is None  # not redone: further back
    assert "Doetank-Undoes: " in anna.git("log", "-1", "--format=%B")


def test_7_merges_and_resolve_commits_are_never_undone(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, _sanne = team
    clash(anna, bram)
    bram("resolve", "--theirs")
    assert "doetank resolve" in bram.git("log", "-1", "--format=%s")
    refused = bram("undo", code=4)  # Bram's own plan is the only candidate, and Anna changed the file since
    assert "Anna changed the same files" in refused.output
    assert "doetank resolve" in bram.git("log", "-1", "--format=%s")


# --------------------------------------------------------------------------- 8. no identity, and still a merge


def test_8_a_laptop_without_a_git_identity_merges_and_hears_it_once(
    team: tuple[Clone, Clone, Clone], network: Network
) -> None:
    anna, _bram, _sanne = team
    nobody = network.clone(None)
    anna("kickoff", "slim", "--datum", "2026-11-20")
    anna("sync")
    planned = nobody("plan", "slim", "--einddatum", "2027-06-30")
    assert "doetank config set naam" in planned.output
    synced = nobody("sync")
    assert "doetank config set naam" not in synced.output  # said once per workspace, not on every command
    assert nobody.git("log", "-1", "--format=%P").count(" ") == 1  # a merge commit was made
    anna("sync")
    assert anna.tank(T).richtlijn.einddatum is not None and anna.tank(T).kickoff is not None


# --------------------------------------------------------------------------- 9. junk is never shared


def test_9_sync_never_shares_junk_and_names_every_other_file_it_shares(
    team: tuple[Clone, Clone, Clone], network: Network
) -> None:
    anna, _bram, _sanne = team
    folder = anna.root / "tanks" / T
    for junk in (".DS_Store", "Thumbs.db", "desktop.ini", "~$verslag.docx", ".01-ontdekken.md.swp",
                 ".doetank.yaml.a1b2c3.tmp", "01-ontdekken.md~", ".~lock.verslag.odt#"):  # fmt: skip
        (folder / junk).write_text("x", encoding="utf-8")
    (folder / "prive.txt").write_text("mijn aantekeningen", encoding="utf-8")
    (anna.root / "tanks" / "site").mkdir()
    (anna.root / "tanks" / "site" / "index.html").write_text("<html>", encoding="utf-8")
    (anna.root / "tanks" / ".DS_Store").write_text("x", encoding="utf-8")
    (anna.root / "notities.txt").write_text("niet van doetank", encoding="utf-8")
    synced = anna("sync")
    shared = server_files(network)
    assert f"tanks/{T}/prive.txt" in shared
    assert f"tanks/{T}/prive.txt" in synced.output and "not a record or note" in synced.output
    for name in shared:
        assert not re.search(r"(\.DS_Store|Thumbs\.db|desktop\.ini|~\$|\.swp|\.tmp|~|\.~lock)", name), name
    assert "tanks/site/index.html" not in shared and "tanks/site/index.html" in synced.output
    assert "notities.txt" not in shared


# --------------------------------------------------------------------------- 10. other projects, a killed sync


def test_10_a_server_of_another_project_is_refused_before_anything_changes(network: Network) -> None:
    other = network.base / "ander"
    git(network.base, "init", "-q", str(other))
    git(other, "config", "user.name", "Piet")
    git(other, "config", "user.email", "piet@example.nl")
    (other / "tanks" / "samen-roosteren").mkdir(parents=True)
    (other / "tanks" / "samen-roosteren" / "doetank.yaml").write_text("naam: A\nfase: ontdekken\n", encoding="utf-8")
    git(other, "add", "-A")
    git(other, "commit", "-qm", "ander project")
    git(other, "push", "-q", str(network.server), "HEAD:main")
    anna = Clone(network.base / "anna", "Anna")
    from doetank_cli import lifecycle

    lifecycle.init(anna.root)
    git(anna.root, "remote", "add", "origin", str(network.server))
    anna("new", "Samen roosteren", "--vraagstuk", "Roosters", "--organisatie", "Gemeente Zwolle")
    head = anna.git("rev-parse", "HEAD")
    refused = anna("sync", code=4)
    assert "two different projects" in refused.output and "Nothing was changed" in refused.output
    assert anna.git("rev-parse", "HEAD") == head  # no rename of samen-roosteren committed, nothing merged
    assert anna.slugs() == ["samen-roosteren"]


def test_10_a_new_server_project_with_only_a_readme_is_joined_and_said(network: Network) -> None:
    other = network.base / "readme"
    git(network.base, "init", "-q", str(other))
    (other / "README.md").write_text("# Doetanks van ons netwerk\n", encoding="utf-8")
    git(other, "add", "-A")
    git(other, "-c", "user.name=Beheer", "-c", "user.email=b@example.nl", "commit", "-qm", "README")
    git(other, "push", "-q", str(network.server), "HEAD:main")
    anna = Clone(network.base / "anna", "Anna")
    from doetank_cli import lifecycle

    lifecycle.init(anna.root)
    git(anna.root, "remote", "add", "origin", str(network.server))
    anna("new", "Samen roosteren", "--vraagstuk", "Roosters", "--organisatie", "Gemeente Zwolle")
    joined = anna("sync")
    assert "held no tanks yet" in joined.output
    assert {"README.md", "tanks/samen-roosteren/doetank.yaml"} <= set(server_files(network))


def test_10_a_stale_index_lock_is_named_with_its_fix_and_nothing_changes(
    team: tuple[Clone, Clone, Clone], network: Network
) -> None:
    anna, _bram, _sanne = team
    anna("plan", "slim", "--einddatum", "2027-06-30", "--no-commit")
    (anna.root / ".git" / "index.lock").write_text("", encoding="utf-8")
    before = server_head(network)
    refused = anna("sync", code=4)
    assert "index.lock" in refused.output and "delete" in refused.output
    assert server_head(network) == before
    (anna.root / ".git" / "index.lock").unlink()
    anna("sync")


def test_10_the_rename_of_a_slug_both_sides_took_is_not_kept_when_the_merge_then_fails(
    team: tuple[Clone, Clone, Clone],
) -> None:
    anna, bram, _sanne = team
    anna("new", "Samen roosteren", "--vraagstuk", "Per team", "--organisatie", "Zwolle")
    anna("sync")
    junk = f"tanks/{T}/.DS_Store"
    anna.path(junk).write_text("van Anna", encoding="utf-8")  # shared by plain git, as an old version did
    anna.git("add", "-f", junk)
    anna.git("commit", "-qm", "junk")
    anna.git("push", "-q", "origin", "main")
    bram("new", "Samen roosteren", "--vraagstuk", "Provincie", "--organisatie", "Gelderland")
    bram.path(junk).write_text("van Bram", encoding="utf-8")  # in the way of the merge, and never committed by sync
    head = bram.git("rev-parse", "HEAD")
    failed = bram("sync", code=4)
    assert "could not merge" in failed.output and ".DS_Store" in failed.output
    assert bram.git("rev-parse", "HEAD") == head  # the rename to samen-roosteren-2 was taken back
    assert bram.slugs() == ["samen-roosteren", "slimmer-vergaderen"]


# --------------------------------------------------------------------------- 11. stopped and forced tanks


def test_11_a_stopped_tank_is_judged_on_its_data_only_and_sync_never_says_it_breaks_rules(
    team: tuple[Clone, Clone, Clone],
) -> None:
    anna, bram, _sanne = team
    assert anna("check", code=None).exit_code == 0  # one trekker: DT010 is a waarschuwing in ontdekken
    anna("advance", "slim", "--force", "--reason", "Opdrachtgever wil tempo")
    forced = anna("check", code=0)  # DT010, DT013, DT020, DT030 were gone past: waived by the reason
    assert "Opdrachtgever wil tempo" in forced.output and "~" in forced.output
    assert "geforceerd: [DT" in anna.record(T)
    anna("stop", "slim", "--reason", "Opdrachtgever vertrokken")
    stopped = anna("check", code=0)
    assert "DT010" not in stopped.output and "DT013" not in stopped.output
    anna("sync")
    synced = bram("sync")
    assert "breaks" not in synced.output and "gestopt" in synced.output


def test_11_a_finished_tank_is_reported_as_afgerond(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, _sanne = team
    for _step in range(6):
        anna("advance", "slim", "--force", "--reason", "Afronden voor de evaluatie")
    assert anna.tank(T).status.value == "afgerond"
    assert anna("check", code=0).exit_code == 0
    anna("sync")
    synced = bram("sync")
    assert "slimmer-vergaderen: ontdekken → afgerond" in synced.output and "breaks" not in synced.output


@pytest.mark.parametrize("choice", ["--theirs", "--ours"])
def test_11_a_stop_on_one_laptop_and_an_advance_on_another_is_a_clash_the_person_decides(
    team: tuple[Clone, Clone, Clone], choice: str
) -> None:
    """Anna stops the tank while Sanne moves it on: the two changes to its lifecycle do not combine by themselves (a
    stopped tank in a later phase). The status and the stop clash; the person decides, and either way the record is
    whole: stopped with its reason, or active without one."""
    anna, bram, sanne = team
    anna("stop", "slim", "--reason", "Opdrachtgever trekt zich terug")
    anna("sync")
    sanne("advance", "slim", "--force", "--reason", "We gaan door")
    stopped = sanne("sync", code=4)
    said = " ".join(stopped.output.split())
    assert "status: yours actief" in said and "server gestopt" in said, said
    assert "gestopt: yours (removed)" in said and "Opdrachtgever trekt zich terug" in said
    assert sanne.tank(T).status.value == "actief"  # the file keeps yours until you decide
    sanne("resolve", choice)
    tank = sanne.tank(T)
    assert "conflict" not in sanne.record(T) and tank.fase.value == "onderzoeken"
    bram("sync")
    if choice == "--theirs":  # stopped, with Anna's reason, in the phase Sanne moved it to
        assert tank.status.value == "gestopt" and tank.gestopt is not None
        assert bram.tank(T).status.value == "gestopt" and bram.tank(T).fase.value == "onderzoeken"
        assert "already gestopt" in bram("stop", "slim", "--reason", "Geen tijd meer", code=2).output
    else:  # going on: active, and no stop left behind in the record
        assert tank.status.value == "actief" and tank.gestopt is None and "\ngestopt:" not in sanne.record(T)
        assert bram.tank(T).status.value == "actief" and bram.tank(T).fase.value == "onderzoeken"


def test_11_the_same_advance_on_two_laptops_is_no_clash(team: tuple[Clone, Clone, Clone]) -> None:
    """Only a status changed on one side against a phase (or another status) on the other clashes: the same step
    taken twice, or a stop beside a plan, merges as before."""
    anna, bram, sanne = team
    anna("advance", "slim", "--force", "--reason", "Tempo")
    anna("sync")
    bram("advance", "slim", "--force", "--reason", "Tempo")
    bram("sync")
    assert bram.tank(T).fase.value == "onderzoeken"
    anna("sync")
    anna("stop", "slim", "--reason", "Klaar")
    anna("sync")
    sanne("plan", "slim", "--einddatum", "2027-06-30")
    sanne("sync")
    assert sanne.tank(T).status.value == "gestopt" and str(sanne.tank(T).richtlijn.einddatum) == "2027-06-30"


# --------------------------------------------------------------------------- 12. '#' in a value


def test_12_a_hash_in_quoted_values_on_both_sides_merges_cleanly(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, sanne = team
    edit(anna, RECORD, "naam: Slimmer vergaderen", 'naam: "Slimmer vergaderen, Team #4"')
    anna("sync")
    bram("kickoff", "slim", "--datum", "2026-11-20", "--locatie", "Kennisland, zie issue #12")
    bram("sync")
    anna("sync")
    sanne("sync")
    tank = sanne.tank(T)
    assert tank.naam == "Slimmer vergaderen, Team #4" and tank.kickoff is not None
    assert tank.kickoff.locatie == "Kennisland, zie issue #12"


# --------------------------------------------------------------------------- who changed what


def test_sync_says_what_changed_and_who_changed_it(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, sanne = team
    anna("plan", "slim", "--einddatum", "2027-06-30")
    anna("sync")
    sanne("sync")
    sanne("plan", "slim", "--einddatum", "2027-05-31")
    sanne("member", "add", "slim", "Eva Jansen", "--rol", "doetanker", "--organisatie", "UWV", "--sector", "publiek")
    bram("kickoff", "slim", "--datum", "2026-11-20")  # Bram's sync merges Sanne's work: authors mix in history
    sanne("sync")
    bram("sync")
    synced = doetank_in(anna.root, "nl", "sync")  # in the words a person reads: no record paths, no ISO dates
    assert synced.returncode == 0, synced.stderr
    assert "einddatum: 30 juni 2027 → 31 mei 2027 (Sanne)" in synced.stdout, synced.stdout
    assert "lid Eva Jansen toegevoegd (Sanne)" in synced.stdout
    assert "datum van de kickoff toegevoegd: 20 november 2026 (Bram)" in synced.stdout
    assert "leden[" not in synced.stdout and "2027-05-31" not in synced.stdout


def test_every_kind_of_change_reads_as_a_sentence_on_the_other_laptop(team: tuple[Clone, Clone, Clone]) -> None:
    """The first update and the first consult (their lists were not in the record yet), a consult held, a waiver, a
    member whose name was written anew, publiek switched off by hand, a stop and a finish: each a line without record
    paths, ISO dates or English in Dutch, naming who did it."""
    from test_language import forbidden_in

    anna, bram, _sanne = team
    anna("new", "Snel klaar", "--vraagstuk", "V", "--organisatie", "O")
    anna("new", "Een keer", "--vraagstuk", "V", "--organisatie", "O")
    anna("member", "add", "slim", "Eva Jansen", "--rol", "doetanker", "--organisatie", "UWV", "--sector", "publiek")
    anna("sync")
    bram("sync")
    bram("update", "slim", "--kanaal", "linkedin", "--url", "https://www.linkedin.com/posts/x", "--datum", "2026-11-21")
    bram("consult", "slim", "--expert", "Cor Smit", "--vraag", "Wat werkt?", "--datum", "2026-11-22")
    bram("sync")
    first = doetank_in(anna.root, "nl", "sync").stdout
    assert "update https://www.linkedin.com/posts/x toegevoegd (Bram)" in first, first
    assert "consult bij Cor Smit (Wat werkt?) toegevoegd (Bram)" in first
    assert "updates" not in first and "consulten" not in first and "2026-11-2" not in first
    bram("consult", "slim", "--held", "--datum", "2026-11-25")
    bram("waive", "slim", "DT031", "--reason", "Zomerstop")
    bram("member", "set", "slim", "Eva Jansen", "--naam", "Eva Jansen-Smit")
    edit(bram, RECORD, "herkomst:", "publiek: false\nherkomst:")
    bram("stop", "een", "--reason", "Opdrachtgever trok zich terug")
    for _phase in range(6):
        bram("advance", "snel", "--force", "--reason", "Snel door")
    bram("sync")
    synced = doetank_in(anna.root, "nl", "sync")
    said = synced.stdout
    assert synced.returncode == 0, synced.stderr
    for line in (
        "consult bij Cor Smit (Wat werkt?) gehouden op 25 november 2026 (Bram)",
        "uitzondering op DT031 toegevoegd: Zomerstop (Bram)",
        "lid Eva Jansen heet nu Eva Jansen-Smit (Bram)",
        "publiek: ja → nee (Bram)",
        "gestopt op 28 november 2026 (Bram)",
        "afgerond op 28 november 2026 (Bram)",
    ):
        assert line in said, (line, said)
    assert "lid Eva Jansen verwijderd" not in said  # nobody left the team
    assert "aangevraagd → gehouden" not in said  # said by "gehouden op"
    for path in ("updates", "consulten", "uitzonderingen", "[", "2026-11-2"):
        assert path not in said, (path, said)
    assert forbidden_in(said, "nl") == [], said


# --------------------------------------------------------------------------- resolve


def test_resolve_on_a_terminal_walks_every_clash_with_who_changed_what(
    team: tuple[Clone, Clone, Clone], monkeypatch: pytest.MonkeyPatch
) -> None:
    from doetank_cli.commands import resolve as command

    anna, bram, _sanne = team
    anna("plan", "slim", "--einddatum", "2027-05-31")
    anna("kickoff", "slim", "--datum", "2026-11-20", "--locatie", "Kennisland")
    bram("plan", "slim", "--einddatum", "2027-04-30")
    bram("kickoff", "slim", "--datum", "2026-11-21", "--locatie", "Utrecht")
    for clone, text in ((anna, "Volgens Anna."), (bram, "Volgens Bram.")):
        edit(clone, NOTE, "## De kern\n", f"## De kern\n\n{text}\n")
    anna("sync")
    bram("sync", code=4)
    monkeypatch.setattr(command, "interactive", lambda: True)
    # kickoff.datum: the server's; kickoff.locatie: a new value; einddatum: yours; the note: both (Enter)
    answers = {"kickoff.datum": "s\n", "kickoff.locatie": "n\nOnline\n", "richtlijn.einddatum": "y\n"}
    from doetank_cli import resolve as core
    from doetank_cli.workspace import Workspace

    typed = ""
    files = core.conflicts(Workspace(bram.root)).files
    for found in sorted(files, key=lambda f: f.kind != core.Kind.record):  # fields first, then notes
        typed += "".join(answers[c.id] for c in found.clashes) if found.clashes else "\n"
    walked = bram("resolve", input=typed)
    assert "Yours" in walked.output and "Before" in walked.output
    assert re.search(r"\(Anna, \d+ \w+ \d{4}\)", walked.output)
    assert "Shared with the team's server" in walked.output
    tank = bram.tank(T)
    assert tank.kickoff is not None and str(tank.kickoff.datum) == "2026-11-20" and tank.kickoff.locatie == "Online"
    assert str(tank.richtlijn.einddatum) == "2027-04-30"
    note = bram.path(NOTE).read_text(encoding="utf-8")
    assert "Volgens Anna." in note and "Volgens Bram." in note and "<<<<<<<" not in note
    anna("sync")
    assert anna.record(T) == bram.record(T)


def test_resolve_without_a_terminal_lists_what_needs_a_choice_and_changes_nothing_else(
    team: tuple[Clone, Clone, Clone],
) -> None:
    anna, bram, _sanne = team
    clash(anna, bram)
    listed = bram("resolve", code=4)
    assert "richtlijn.einddatum: yours 2027-04-30" in listed.output and "--theirs" in listed.output
    assert "UU " + RECORD in bram.git("status", "--porcelain")
    wrong = bram("resolve", "--set", "richtlijn.eindatum=2027-01-01", code=2)
    assert "richtlijn.eindatum" in wrong.output
    bad = bram("resolve", "--set", "richtlijn.einddatum=volgende week", code=3)
    assert "richtlijn.einddatum" in bad.output and "UU " + RECORD in bram.git("status", "--porcelain")
    bram("resolve", "--set", "richtlijn.einddatum=2027-05-15")
    assert str(bram.tank(T).richtlijn.einddatum) == "2027-05-15"


def test_resolve_api_for_the_browser_lists_decides_and_finishes(team: tuple[Clone, Clone, Clone]) -> None:
    from doetank_cli import resolve
    from doetank_cli.workspace import Workspace

    anna, bram, _sanne = team
    clash(anna, bram)
    ws = Workspace(bram.root)
    found = resolve.conflicts(ws, "slim")
    assert found.operation == "merge" and [f.path for f in found.files] == [RECORD]
    einddatum = found.files[0].clashes[0]
    assert einddatum.id == "richtlijn.einddatum"
    assert (einddatum.ours.wie, einddatum.theirs.wie) == ("Bram", "Anna")
    assert (einddatum.ours.shown, einddatum.theirs.shown, einddatum.base.present) == ("2027-04-30", "2027-05-31", False)
    with pytest.raises(Exception, match="Not everything is decided"):
        resolve.finish(ws)
    left = resolve.decide(ws, RECORD, "richtlijn.einddatum", resolve.Choice.theirs)
    assert left.clashes == [] and not resolve.conflicts(ws).open
    done = resolve.finish(ws)
    assert done.tanks == [T] and done.unshared >= 1


def dutch(clone: Clone, *args: str) -> tuple[int, str]:
    import os
    import subprocess

    from test_e2e import DOETANK

    assert DOETANK
    proc = subprocess.run([DOETANK, *args], cwd=clone.root, capture_output=True, text=True,
                          env={**os.environ, "DOETANK_LANG": "nl"}, stdin=subprocess.DEVNULL)  # fmt: skip
    return proc.returncode, proc.stdout + proc.stderr


def test_a_team_in_dutch_hears_no_git_words(team: tuple[Clone, Clone, Clone], network: Network) -> None:
    anna, bram, _sanne = team
    anna("plan", "slim", "--einddatum", "2027-05-31")
    anna("sync")
    dutch(bram, "plan", "slim", "--einddatum", "2027-04-30")
    code, said = dutch(bram, "sync")
    assert code == 4 and "jouw versie 2027-04-30" in said and "de server 2027-05-31" in said
    assert "doetank resolve" in said
    for word in ("ours", "theirs", "(removed)", "merge", "commit"):
        assert word not in said, word
    assert "jouw versie 2027-04-30" in bram.record(T)  # the note in the file is Dutch too
    code, said = dutch(bram, "resolve", "--theirs")
    assert code == 0 and "Beslist" in said and "met de server van het team." in said and "origin" not in said
    network.hook("#!/bin/sh\necho 'Alleen op werkdagen' >&2\nexit 1\n")
    dutch(bram, "kickoff", "slim", "--datum", "2026-11-20")
    code, said = dutch(bram, "sync")
    assert code == 4 and "Alleen op werkdagen" in said and "server van het team" in said
    del anna


def test_sync_refuses_a_note_with_both_versions_in_it(team: tuple[Clone, Clone, Clone], network: Network) -> None:
    anna, _bram, _sanne = team
    edit(anna, NOTE, "## De kern\n", "## De kern\n\n<<<<<<< HEAD\nmijn\n=======\njouw\n>>>>>>> origin/main\n")
    before = server_head(network)
    refused = anna("sync", code=4)
    assert f"{NOTE}:" in refused.output and "doetank resolve" in refused.output
    assert server_head(network) == before


# --------------------------------------------------------------------------- found by trying it as a team (round 2)


def test_resolve_after_a_pull_with_rebase_keeps_yours_as_yours(team: tuple[Clone, Clone, Clone]) -> None:
    """A laptop whose git tool pulls with rebase: git's "ours" is then the server's side. Yours stays yours."""
    import subprocess

    from doetank_cli import resolve
    from doetank_cli.workspace import Workspace

    anna, bram, _sanne = team
    anna("plan", "slim", "--einddatum", "2027-05-31")
    edit(anna, NOTE, "## De kern\n", "## De kern\n\nVolgens Anna.\n")
    anna("sync")
    bram("plan", "slim", "--einddatum", "2027-04-30")
    edit(bram, NOTE, "## De kern\n", "## De kern\n\nVolgens Bram.\n")
    bram.git("commit", "-qam", "Mijn aantekening")
    pulled = subprocess.run(["git", "-C", str(bram.root), "pull", "--quiet", "--rebase", "origin", "main"],
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert pulled.returncode != 0
    assert "yours 2027-04-30, server 2027-05-31" in bram.record(T)  # the note in the record says it right
    found = resolve.conflicts(Workspace(bram.root))
    assert found.operation == "rebase"
    record = next(f for f in found.files if f.path == RECORD)
    einddatum = record.clashes[0]
    assert (einddatum.ours.shown, einddatum.ours.wie) == ("2027-04-30", "Bram")
    assert (einddatum.theirs.shown, einddatum.theirs.wie) == ("2027-05-31", "Anna")
    waiting = bram("sync", code=4)  # never "go back to your branch with git switch": that would lose the rebase
    assert "doetank resolve" in waiting.output and "switch" not in waiting.output
    bram("resolve", "--ours", "--notes", "yours")
    assert str(bram.tank(T).richtlijn.einddatum) == "2027-04-30"
    note = bram.path(NOTE).read_text(encoding="utf-8")
    assert "Volgens Bram." in note and "Volgens Anna." not in note
    anna("sync")
    assert str(anna.tank(T).richtlijn.einddatum) == "2027-04-30"


def test_sync_merges_whatever_git_settings_the_laptop_has(team: tuple[Clone, Clone, Clone], network: Network) -> None:
    """merge.ff=only, or mergeOptions with --squash, in a person's git settings: sync still brings both sides
    together (a merge), never refuses or squashes the team's work into one change of yours."""
    anna, bram, _sanne = team
    bram.git("config", "merge.ff", "only")
    bram.git("config", "branch.main.mergeOptions", "--squash")
    bram.git("config", "pull.rebase", "true")
    anna("plan", "slim", "--einddatum", "2027-05-31")
    anna("sync")
    bram("member", "add", "slim", "Eva Smit", "--rol", "doetanker", "--organisatie", "RWS", "--sector", "publiek")
    bram("sync")
    assert bram.git("rev-list", "--count", "--merges", "HEAD^!").strip() == "1"  # a merge, both sides its parents
    anna("sync")
    tank = anna.tank(T)
    assert str(tank.richtlijn.einddatum) == "2027-05-31" and "Eva Smit" in [m.naam for m in tank.team]
    assert server_head(network) == bram.git("rev-parse", "HEAD").strip()


def test_the_changes_sync_commits_are_written_in_the_language_of_who_synced(team: tuple[Clone, Clone, Clone]) -> None:
    """Every change doetank commits is described in its maker's language (as plan, edit and resolve do): a Dutch
    colleague's sync leaves no English line in the team's history."""
    anna, bram, _sanne = team
    anna("plan", "slim", "--einddatum", "2027-05-31")
    anna("new", "Werkbezoek", "--vraagstuk", "Wat zien we?", "--organisatie", "RWS", "--trekker", "Anna de Vries")
    anna("sync")
    edit(bram, NOTE, "## De kern\n", "## De kern\n\nMet de hand geschreven.\n")  # an edit sync commits itself
    assert dutch(bram, "new", "Werkbezoek", "--vraagstuk", "Wie?", "--organisatie", "RWS", "--trekker", "Bram")[0] == 0
    code, said = dutch(bram, "sync")
    assert code == 0, said
    subjects = bram.git("log", "--format=%s", "-4").splitlines()
    assert "doetank sync: wijzigingen van het team samengevoegd" in subjects
    assert "doetank sync: eigen wijzigingen gedeeld" in subjects
    assert any(s.startswith("doetank sync: werkbezoek werd werkbezoek-2") for s in subjects), subjects
    code, said = dutch(bram, "log")
    assert code == 0 and "samengevoegd" in said and "merged" not in said and "slug" not in said
    from doetank_cli import render  # a history written before: its English merge subjects read as the others do
    from doetank_cli.i18n import _ as translated

    assert render.what_happened("doetank sync: origin/main merged") == translated(
        "the team's changes, brought together"
    )


def test_undo_never_takes_back_the_workspace_itself(network: Network) -> None:
    """`undo` right after `init` in the team's new project (made on the server with a README): the workspace is no
    change to take back; nothing of yours to undo."""
    folder = network.base / "eigen"
    folder.mkdir()
    git(folder, "init", "--quiet")
    git(folder, "config", "user.name", "Anna")
    git(folder, "config", "user.email", "anna@example.nl")
    (folder / "README.md").write_text("# Ons netwerk\n", encoding="utf-8")
    git(folder, "add", "README.md")
    git(folder, "commit", "--quiet", "-m", "Initial commit")
    anna = Clone(folder, "Anna")
    anna("init", str(folder))
    assert git(folder, "log", "--format=%an").split() == ["Anna", "Anna"]
    refused = anna("undo", code=2)
    assert "no change of yours (Anna) left to undo" in refused.output
    assert git(folder, "rev-list", "--count", "HEAD").strip() == "2" and (folder / "templates").is_dir()


def test_both_renaming_one_tank_their_own_way_ends_in_one_tank_without_a_git_error(
    team: tuple[Clone, Clone, Clone],
) -> None:
    """Anna and Bram each rename the tank: the old folder is gone on both sides (decided by itself), each new name
    is only on one side (said so, not "removed by you"), and resolve keeps one of them, never both."""
    anna, bram, _sanne = team
    anna("rename", "slim", "Beter beslissen")
    anna("sync")
    bram("rename", "slim", "Samen beslissen")
    stopped = bram("sync", code=4)
    assert "removed on both sides" in stopped.output
    assert "only on the server" in stopped.output and "only yours" in stopped.output
    assert "removed by you" not in stopped.output
    waiting = bram("resolve", code=4)  # without a terminal: which name is a choice, not a default that keeps both
    assert "only on the server" in waiting.output and "tanks/slimmer-vergaderen" not in waiting.output
    chose = bram("resolve", "--theirs", code=None)
    assert "git" not in chose.output.casefold() and "Traceback" not in chose.output
    assert sorted(p.name for p in (bram.root / "tanks").iterdir() if p.is_dir()) == ["beter-beslissen"]
    bram("resolve", "--set", "naam=Beter beslissen")
    anna("sync")
    assert sorted(p.name for p in (anna.root / "tanks").iterdir() if p.is_dir()) == ["beter-beslissen"]
    assert anna.tank("beter-beslissen").naam == "Beter beslissen"


def test_sync_tells_a_renamed_tank_as_renamed_on_both_sides_never_as_new(team: tuple[Clone, Clone, Clone]) -> None:
    """A tank renamed on one laptop is one tank under a new name for everyone: sync says old → new (sending and
    receiving), never "+ new" with the old name gone unsaid."""
    anna, bram, _sanne = team
    anna("rename", "slim", "Beter beslissen")
    sent = anna("sync")
    assert "slimmer-vergaderen → beter-beslissen (renamed)" in sent.output, sent.output
    assert "new" not in sent.output and "removed" not in sent.output
    came = bram("sync")
    assert "slimmer-vergaderen → beter-beslissen (renamed)" in came.output, came.output
    assert "name: Slimmer vergaderen → Beter beslissen (Anna)" in came.output
    assert "new" not in came.output and "removed" not in came.output


def test_after_resolve_sync_says_what_it_sent_even_when_every_tank_is_as_the_server_has_it(
    team: tuple[Clone, Clone, Clone], network: Network
) -> None:
    """Bram takes the server's value: his sync pushes the decision (and the plan it overruled), which leaves every
    tank as the server had it. It says what it sent, never "up to date" or "nothing new"."""
    anna, bram, _sanne = team
    clash(anna, bram)
    before = server_head(network)
    decided = bram("resolve", "--theirs")
    assert server_head(network) != before  # something was sent
    said = " ".join(decided.output.split())
    assert "Out to the team's server: 2 changes, which leave every tank as the server has it:" in said, said
    assert "changes that clashed, decided (slimmer-vergaderen)" in said
    assert "Up to date" not in said and "Nothing new" not in said and "origin/main" not in said
    again = bram("sync")
    assert "Up to date with the team's server: nothing new on either side." in again.output


def test_sync_says_what_came_in_when_it_touched_no_tank_and_names_no_git_ref(
    team: tuple[Clone, Clone, Clone], network: Network
) -> None:
    """A colleague's README (with plain git) reaches Bram: sync names it, never "up to date"; Bram's own change goes
    out with the merge. In Dutch it speaks of the team's server, never of origin/main."""
    anna, bram, sanne = team
    (anna.root / "README.md").write_text("# Ons netwerk\n", encoding="utf-8")
    anna.git("add", "README.md")
    anna.git("commit", "-qm", "README")
    anna.git("push", "-q", "origin", "main")
    came = bram("sync")
    assert "In from the team's server:" in came.output and "README.md (not a file of a tank)" in came.output
    assert "Up to date with the team's server." in came.output and "nothing new" not in came.output
    assert "origin" not in came.output
    (anna.root / "CONTRIBUTING.md").write_text("Doe mee\n", encoding="utf-8")
    anna.git("add", "CONTRIBUTING.md")
    anna.git("commit", "-qm", "CONTRIBUTING")
    anna.git("push", "-q", "origin", "main")
    sanne("plan", "slim", "--einddatum", "2027-06-30")
    code, said = dutch(sanne, "sync")
    assert code == 0, said
    assert "CONTRIBUTING.md" in said and "Gedeeld met de server van het team." in said, said
    assert "origin" not in said and "main" not in said and "Helemaal bij" not in said


def test_a_server_that_is_not_there_is_named_by_gits_own_reason(team: tuple[Clone, Clone, Clone]) -> None:
    """A wrong address: the sentence says what git found, not the tail of its general advice."""
    anna, _bram, _sanne = team
    anna.git("remote", "set-url", "origin", str(anna.root.parent / "nergens.git"))
    stopped = anna("sync", code=4)
    assert "does not appear to be a git repository" in stopped.output
    assert "and the repository exists" not in stopped.output


def test_a_change_made_before_a_rename_is_told_with_the_name_of_whoever_made_it(
    team: tuple[Clone, Clone, Clone],
) -> None:
    """Bram sets the einddatum, Sanne renames the tank afterwards: Anna's sync credits each with their own change, the
    record's history followed across the rename."""
    anna, bram, sanne = team
    bram("plan", "slim", "--einddatum", "2027-05-31")
    bram("sync")
    sanne("sync")
    sanne("rename", "slim", "Beter beslissen")
    sanne("sync")
    came = anna("sync")
    assert "slimmer-vergaderen → beter-beslissen (renamed)" in came.output, came.output
    assert "end date added: 31 May 2027 (Bram)" in came.output, came.output
    assert "name: Slimmer vergaderen → Beter beslissen (Sanne)" in came.output


def test_a_member_who_left_and_a_colleague_alike_who_came_are_two_lines_not_a_new_name(
    team: tuple[Clone, Clone, Clone],
) -> None:
    """Eva leaves, Piet from the same organisation comes in her role: the other laptop reads that, not that Eva was
    renamed (that is what `member set --naam` does, and says so in its commit)."""
    anna, bram, _sanne = team
    anna("member", "add", "slim", "Eva Jansen", "--rol", "doetanker", "--organisatie", "UWV", "--sector", "publiek")
    anna("sync")
    bram("sync")
    anna("member", "remove", "slim", "Eva Jansen")
    anna("member", "add", "slim", "Piet Bos", "--rol", "doetanker", "--organisatie", "UWV", "--sector", "publiek")
    anna("sync")
    came = bram("sync")
    assert "member Eva Jansen removed (Anna)" in came.output, came.output
    assert "member Piet Bos added (Anna)" in came.output
    assert "is now called" not in came.output
