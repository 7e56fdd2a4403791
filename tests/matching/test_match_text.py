"""Indonesian normalisation and the domain dictionary."""

from __future__ import annotations

import pytest

from nyengget.matching.dictionary import load_dictionary, parse_dictionary
from nyengget.matching.text import Analyzer, tokenize


def test_tokens_keep_numbers_and_acronyms():
    assert tokenize("PSC 119, TPS3R dan SPALD-S") == ["PSC", "119", "TPS3R", "dan", "SPALD", "S"]


def test_stemming_is_indonesian_and_cached(analyzer):
    assert analyzer.stem("pemicuan") == "picu"
    assert analyzer.stem("Persampahan") == "sampah"
    assert analyzer.stem("TPS3R") == "tps3r"  # digits: left alone
    assert analyzer.stem("posyandu") == "posyandu"
    assert analyzer.stem("bersihin") == "bersih"  # colloquial -in suffix
    assert "pemicuan" in analyzer._stems


def test_stopwords_and_years_are_not_terms(analyzer):
    words = {analyzer.vocab.terms[t] for t in analyzer.analyze("yang dan di Kota Serang pada 2022 jamban").tf}
    assert "jamban" in words
    assert not words & {"yang", "dan", "di", "kota", "serang", "2022"}


def test_meaningful_sastrawi_stopwords_are_kept(analyzer):
    words = {analyzer.vocab.terms[t] for t in analyzer.analyze("ibu hamil dan anak usia dini").tf}
    assert {"ibu", "dini"} <= words


@pytest.mark.parametrize(("colloquial", "official", "shared"), [
    ("bikin jamban keluarga", "akses sanitasi layak", "sanitasi"),
    ("warga masih BABS", "Sanitasi Total Berbasis Masyarakat", "stbm"),
    ("desa sudah ODF", "pemicuan STBM", "stbm"),
    ("septic tank bocor", "SPALD Setempat", "spald_s"),
    ("kader posyandu menimbang balita", "pencegahan stunting", "stunting"),
    ("PMT lokal untuk balita BGM", "status gizi balita", "gizi"),
    ("bank sampah RW", "TPS3R berbasis masyarakat", "tps3r"),
    ("sampah organik jadi maggot", "Dana BLPS untuk pengelolaan sampah", "sampah"),
    ("bedah rumah warga miskin", "peningkatan kualitas RTLH", "rtlh"),
    ("rutilahu", "BSPS", "rtlh"),
    ("anak TK dan KB", "satuan PAUD", "paud"),
    ("pelaku UMKM dapat NIB", "PK2UKM", "umkm"),
    ("perajin emping", "sentra IKM", "ikm"),
    ("bumil risti dirujuk", "penurunan AKI dan AKB", "kia"),
    ("puskesmas PONED", "kegawatdaruratan obstetri", "poned"),
    ("daftar NIB lewat OSS", "perizinan berusaha berbasis risiko", "investasi"),
    ("perizinan jemput bola", "penanaman modal", "investasi"),
    ("angkot ngetem", "angkutan massal perkotaan", "angkutan"),
    ("lapor jalan bolong", "penanganan jalan rusak", "jalan"),
])
def test_dictionary_links_colloquial_and_official_terms(analyzer, colloquial, official, shared):
    assert shared in analyzer.concepts_of(colloquial)
    assert shared in analyzer.concepts_of(official)


def test_related_concepts_bridge_neighbouring_purposes(analyzer):
    assert "spald_s" in analyzer.concepts_of("jamban")  # a latrine needs a septic tank
    assert "stunting" in analyzer.concepts_of("posyandu")


def test_longest_phrase_wins_and_words_do_not_leak(analyzer):
    # `lampu lalu lintas` is traffic, not street lighting
    concepts = analyzer.concepts_of("lampu lalu lintas di simpang")
    assert "lalu_lintas" in concepts and "pju" not in concepts


def test_surface_forms_are_what_the_innovation_wrote(analyzer):
    a = analyzer.analyze("Warga punya tangki septik bocor", surfaces=True)
    tid = analyzer.vocab.ids["§spald_s"]
    assert a.surface[tid] == "tangki septik"


def test_without_dictionary_no_concepts():
    plain = Analyzer(use_dictionary=False)
    assert plain.concepts_of("jamban sehat dan ODF") == set()


def test_dictionary_file_is_consistent():
    d = load_dictionary()
    assert len(d.concepts) > 40
    for c in d.concepts.values():
        assert c.terms and c.label
        assert set(c.related) <= set(d.concepts)


def test_dictionary_rejects_unknown_related_concept():
    with pytest.raises(ValueError, match="unknown related"):
        parse_dictionary({"concepts": [{"id": "a", "label": "A", "terms": ["x"], "related": {"b": 0.5}}]})
