"""The generated lookup tables are current, readable by Rasa, and carry the catalogue's words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.nlu import lookups
from bot.store.seed_catalog import CATEGORIES, COLOUR_CODES


@pytest.fixture(scope="module")
def tables() -> dict[str, Any]:
    """The files on disk as Rasa reads them: entries per entity and the synonym map."""
    entries: dict[str, list[str]] = {}
    synonyms: dict[str, str] = {}
    for path in sorted(lookups.LOOKUP_DIR.glob("*.yml")):
        data = RasaYAMLReader().read(str(path))
        for table in data.lookup_tables:
            entries[table["name"]] = table["elements"]
        synonyms.update(data.entity_synonyms)
    return {"entries": entries, "synonyms": synonyms}


def test_files_on_disk_are_what_the_generator_writes() -> None:
    assert lookups.stale_files() == [], "run `python -m bot.nlu.lookups` and commit the result"
    assert lookups.main(["--check"]) == 0


def test_check_fails_when_a_file_is_edited_or_missing(tmp_path: Path) -> None:
    assert lookups.main(["--dir", str(tmp_path)]) == 0
    assert lookups.main(["--check", "--dir", str(tmp_path)]) == 0
    colour = tmp_path / "color.yml"
    colour.write_text(colour.read_text(encoding="utf-8") + "      - fucsia\n", encoding="utf-8")
    assert lookups.main(["--check", "--dir", str(tmp_path)]) == 1
    (tmp_path / "marca.yml").unlink()
    assert lookups.stale_files(tmp_path) == [colour, tmp_path / "marca.yml"]


def test_generating_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    lookups.write_files(first)
    lookups.write_files(second)
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes()


def test_every_entity_of_the_contract_has_a_table(tables: dict[str, Any]) -> None:
    assert set(tables["entries"]) == {"producto", "categoria", "color", "marca"}


def test_product_types_come_in_both_numbers_and_without_accents(tables: dict[str, Any]) -> None:
    products = set(tables["entries"]["producto"])
    for spec in CATEGORIES:
        assert {product_type.lower() for product_type, _ in spec.types} <= products
    assert {"zapatillas", "zapatilla", "sudadera", "sudaderas", "pantalones"} <= products
    assert {"sudaderas con capucha", "bañador", "banador", "botín", "botin"} <= products
    assert {"cometa", "nómada", "nomada", "tenis", "campera", "chamarra"} <= products


def test_longer_entries_come_before_their_prefixes(tables: dict[str, Any]) -> None:
    """Rasa's regex alternation takes the first entry that matches, so order decides spans."""
    products = tables["entries"]["producto"]
    assert products.index("zapatillas de running") < products.index("zapatillas")
    assert products == sorted(products, key=lambda entry: (-len(entry), entry))


def test_categories_are_named_by_their_names_and_parts(tables: dict[str, Any]) -> None:
    categories = set(tables["entries"]["categoria"])
    assert {spec.name.lower() for spec in CATEGORIES} <= categories
    assert {"mochilas", "cosmetica", "ropa interior", "bañadores", "banadores"} <= categories
    assert "chaqueta" not in categories  # a single item is a producto, not a section


def test_a_category_word_leads_to_the_slug_the_store_searches_by() -> None:
    slugs = lookups.category_slugs()
    assert slugs["mochila"] == "bolsos" and slugs["faldas"] == "vestidos"
    assert slugs["jerseis"] == "sudaderas" and slugs["ropa interior"] == "ropa-interior"
    assert set(slugs.values()) == {spec.slug for spec in CATEGORIES} | {"tarjetas-regalo"}


def test_every_catalogue_colour_and_its_inflections_are_there(tables: dict[str, Any]) -> None:
    colours = set(tables["entries"]["color"])
    assert set(COLOUR_CODES) <= colours
    assert {"negras", "blancos", "grises", "azules", "marron", "marrones", "beige"} <= colours
    assert "beiges" not in colours


def test_inflected_colours_and_regional_names_map_to_what_the_store_holds(
    tables: dict[str, Any],
) -> None:
    synonyms = tables["synonyms"]
    assert synonyms["negras"] == "negro" and synonyms["marron"] == "marrón"
    assert synonyms["tenis"] == "zapatillas" and synonyms["camperas"] == "chaquetas"
    assert synonyms["poleron"] == "sudadera"
    assert set(COLOUR_CODES).isdisjoint(synonyms), "a catalogue colour must stay itself"


def test_brands_are_the_catalogues_without_the_shop_itself(tables: dict[str, Any]) -> None:
    brands = set(tables["entries"]["marca"])
    assert {brand.lower() for spec in CATEGORIES for brand in spec.brands} <= brands
    assert {"andarin", "lua", "botica del sur"} <= brands
    assert "ruta store" not in brands


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("pantalón", "pantalones"),
        ("cinturón", "cinturones"),
        ("bañador", "bañadores"),
        ("gris", "grises"),
        ("azul", "azules"),
        ("jersey", "jerséis"),
        ("bikini", "bikinis"),
    ],
)
def test_plural_and_singular_undo_each_other(word: str, expected: str) -> None:
    assert lookups.plural(word) == expected
    assert lookups.singular(expected) == word
