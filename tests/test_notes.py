from datetime import date

from conftest import build_tree

from doetank_cli import notes
from doetank_cli.model import FASES, Fase
from doetank_cli.workspace import Workspace

TEMPLATE = """# $naam

<!-- guidance for the whole note -->

## De kern

<!-- what is the core? -->

## Achtergrond (optioneel)

## Het probleem áchter het probleem
"""


def test_required_sections_are_the_headings_not_marked_optioneel() -> None:
    assert notes.required_sections(TEMPLATE) == ["De kern", "Het probleem áchter het probleem"]


def test_a_section_holding_only_guidance_comments_is_empty() -> None:
    text = TEMPLATE.replace("## De kern\n", "## De kern\n\nNegen van de 41 punten.\n")
    found = notes.sections(text)
    assert found["De kern"].startswith("Negen") and found["Het probleem áchter het probleem"] == ""
    assert notes.sections(TEMPLATE)["De kern"] == ""


def test_a_heading_inside_a_code_block_is_content_not_a_section() -> None:
    found = notes.sections("## Echt\n\n```\n## niet echt\n```\n")
    assert list(found) == ["Echt"] and "niet echt" in found["Echt"]


def test_every_packaged_template_has_required_sections_and_quotes_the_seed_questions() -> None:
    for fase in FASES:
        text = (notes.packaged_templates() / f"{fase.nummer:02d}-{fase.value}.md").read_text()
        assert len(notes.required_sections(text)) >= 2, fase
    first = (notes.packaged_templates() / "01-ontdekken.md").read_text()
    assert "Wat is de kern?" in first and "## Het probleem áchter het probleem" in first


def test_the_check_matches_headings_loosely_and_reports_what_is_empty(ws: Workspace) -> None:
    build_tree(
        ws.root,
        {
            "tanks/t/01-ontdekken.md": "## de  KERN\n\nInhoud\n\n## Waarom is het een probleem, en voor "
            "wie?\n<!-- x -->\n"
        },
    )
    check = notes.check(ws, "t", Fase.ontdekken)
    assert check.exists and check.empty_sections == [
        "Waarom is het een probleem, en voor wie?",
        "Het probleem áchter het probleem",
    ]
    assert not notes.check(ws, "t", Fase.onderzoeken).exists


def test_a_workspace_template_overrides_the_packaged_gate(ws: Workspace) -> None:
    build_tree(
        ws.root,
        {"templates/01-ontdekken.md": "## Alleen dit\n", "tanks/t/01-ontdekken.md": "## Alleen dit\n\nKlaar.\n"},
    )
    assert notes.check(ws, "t", Fase.ontdekken).complete


def test_rendering_substitutes_values_as_text_only(ws: Workspace) -> None:
    text = notes.render(ws, Fase.ontdekken, "${slug} {0} __import__('os')", "x", date(2026, 11, 28))
    assert "# ${slug} {0} __import__('os') — 1. Ontdekken" in text
