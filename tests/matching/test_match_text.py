"""Indonesian normalisation and the domain dictionary."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nyengget.matching.dictionary import load_dictionary, parse_dictionary
from nyengget.matching.text import Analyzer, tokenize

ROOT = Path(__file__).resolve().parents[2]


def test_tokens_keep_numbers_and_acronyms():
    assert tokenize("PSC 119, TPS3R dan SPALD-S") == ["PSC", "119", "TPS3R", "dan", "SPALD", "S"]


def test_stemming_is_indonesian_and_cached(analyzer):
    assert analyzer.stem("pengolahan") == "olah"
    assert analyzer.stem("Persampahan") == "sampah"
    assert analyzer.stem("TPS3R") == "tps3r"  # digits: left alone
    assert analyzer.stem("posyandu") == "posyandu"
    assert analyzer.stem("bersihin") == "bersih"  # colloquial -in suffix
    assert "pengolahan" in analyzer._stems


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


# ---------------------------------------------------------------- stem collisions and acronyms
@pytest.mark.parametrize(("text", "absent"), [
    ("pencari kerja mendaftar kartu kuning", "pencemaran"),  # mencemari -> cari
    ("realisasi tahun berjalan dan perjalanan dinas", "jalan"),
    ("program dijalankan relawan", "jalan"),
    ("relawan kampung siaga", "inflasi"),  # relawan is not rawan
    ("pendidikan karakter", "guru"),  # pendidikan is not pendidik
    ("pelayanan akta kelahiran bayi", "kia"),  # birth registration is not childbirth
    ("penghargaan kinerja", "inflasi"),  # awards are not prices
    ("pemasangan CCTV", "kb"),  # pasang is not pasangan usia subur
    ("angka 5 persen", "pencemaran"),  # "PM2,5" is quoted in the YAML, a bare 5 is no pollution
])
def test_stem_guards_keep_meanings_apart(analyzer, text, absent):
    assert absent not in analyzer.concepts_of(text)


def test_guarded_words_still_match_their_own_phrases(analyzer):
    assert "stbm" in analyzer.concepts_of("pemicuan oleh sanitarian")
    assert "bencana" in analyzer.concepts_of("sistem peringatan dini banjir")
    assert "pencemaran" in analyzer.concepts_of("limbah yang mencemari sungai")
    assert "kb" in analyzer.concepts_of("pasangan usia subur")
    assert "ptm" in analyzer.concepts_of("cek tekanan darah")
    assert "ikm" in analyzer.concepts_of("kerajinan batik")


def test_without_guards_the_old_collisions_come_back():
    plain = Analyzer(stem_guards=False)
    assert plain.stem("mencemari") == plain.stem("pencari")
    assert plain.stem("berjalan") == "jalan"


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("tiap KK iuran dua ribu untuk jamban", set(), {"adminduk"}),  # KK = a household here
    ("cetak KK dan KTP langsung di kelurahan", {"adminduk"}, set()),
    ("KIA untuk anak, terbit bersama akta", {"adminduk"}, {"kia"}),  # kartu identitas anak
    ("buku KIA ibu hamil dipantau bidan", {"kia"}, {"adminduk"}),
    ("APE untuk kelompok bermain PAUD", {"paud"}, {"gender"}),
    ("penilaian APE pengarusutamaan gender", {"gender"}, {"paud"}),
    ("APE", set(), {"paud", "gender"}),  # no context, no concept
    ("AKI NINI SEHAT: kader mendatangi rumah lansia", set(), {"kia"}),  # aki nini = grandparents
    ("AKI turun karena ibu hamil risiko tinggi dirujuk", {"kia"}, set()),  # angka kematian ibu
    ("servis aki motor", set(), {"kia"}),  # a battery
    ("Peraturan Menteri Keuangan (PMK) Nomor 125 Tahun 2023", set(), {"peternakan"}),  # a regulation
    ("vaksinasi PMK untuk sapi dan kambing warga", {"peternakan"}, set()),  # foot-and-mouth disease
])
def test_ambiguous_acronyms_follow_their_context(analyzer, text, present, absent):
    found = analyzer.concepts_of(text)
    assert present <= found and not absent & found


def test_dictionary_rejects_bare_numbers_from_split_terms():
    with pytest.raises(ValueError, match="bare number"):
        parse_dictionary({"concepts": [{"id": "a", "label": "A", "terms": ["PM2", "5"]}]})
    assert load_dictionary().concepts["pencemaran"].terms.count("PM2,5") == 1


@pytest.mark.parametrize(("text", "concept"), [
    ("pencaker ikut job fair dan pelatihan vokasi di BLK", "tenaga_kerja"),
    ("tindak lanjut temuan BPK oleh APIP", "pengawasan"),
    ("zona integritas WBK dan pengendalian gratifikasi", "antikorupsi"),
    ("layanan ramah disabilitas dengan juru bahasa isyarat", "disabilitas"),
    ("sertifikat tanah aset pemda lewat PTSL", "pertanahan"),
    ("alih media arsip dengan SRIKANDI", "kearsipan"),
])
def test_vocabulary_covers_urusan_that_had_none(analyzer, text, concept):
    assert concept in analyzer.concepts_of(text)


COLLISIONS = Path(__file__).resolve().parent / "data" / "stem_collisions.txt"
CORPUS = [(ROOT / "include" / "data" / "sample" / "innovations.csv", ("name", "description")),
          (ROOT / "include" / "snapshots" / "_seed" / "programmes.csv", ("title", "description")),
          (Path(__file__).resolve().parent / "data" / "innovations.csv", ("name", "description")),
          (Path(__file__).resolve().parent / "data" / "programmes.csv", ("title", "description"))]


def stem_collisions(analyzer: Analyzer) -> list[str]:
    """`stem: dictionary words <- other words with that stem` for every dictionary stem that words of the
    project's texts reach without being that dictionary word."""
    import pandas as pd

    words = set()
    for path, cols in CORPUS:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        words |= {w.lower() for c in cols for text in frame[c] for w in tokenize(text) if w.isalpha()}
    own: dict[str, set[str]] = {}
    for concept in analyzer.dictionary.concepts.values():
        for term in concept.terms:
            for w in tokenize(term):
                own.setdefault(analyzer.stem(w), set()).add(w.lower())
    out: dict[str, set[str]] = {}
    for w in words:
        stem = analyzer.stem(w)
        if stem in own and w not in own[stem] and not analyzer.is_stopword(w, stem):
            out.setdefault(stem, set()).add(w)
    return [f"{s}: {' '.join(sorted(own[s]))} <- {' '.join(sorted(out[s]))}" for s in sorted(out)]


def test_every_stem_collision_is_reviewed(analyzer):
    """Lists every dictionary stem other words collide with. A collision that changes the meaning is
    guarded in dictionary.yaml (stem_guards); one that keeps it (inflections: diangkut/angkutan) is
    accepted in tests/matching/data/stem_collisions.txt. Regenerate that file after review with
    NYENGGET_REGEN_COLLISIONS=1."""
    found = stem_collisions(analyzer)
    if os.environ.get("NYENGGET_REGEN_COLLISIONS"):
        header = [line for line in COLLISIONS.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        COLLISIONS.write_text("\n".join(header + found) + "\n", encoding="utf-8")
    reviewed = COLLISIONS.read_text(encoding="utf-8").splitlines()
    new = sorted(set(found) - set(reviewed))
    assert not new, "unreviewed stem collisions (guard them or accept them):\n" + "\n".join(new)
    for word, stem in load_dictionary().stem_guards.items():
        assert analyzer.stem(word) == stem


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("anak bermain bola di jalan", set(), {"jalan"}),  # on the street, not roads
    ("perbaikan jalan rusak dan ruas jalan kota", {"jalan"}, set()),
    ("kader mendampingi keluarga setiap minggu", {"operasional"}, {"kb"}),  # not the KB family companions
    ("tim pendamping keluarga (TPK) mengunjungi catin", {"kb"}, set()),
    ("promosi, surveilans, dan tata laksana gizi", {"gizi"}, {"pengendalian_penyakit"}),
    ("surveilans penyakit dan respons KLB", {"pengendalian_penyakit"}, set()),
    ("toilet ramah anak di TK", {"paud"}, {"anak"}),  # a design attribute, not the KLA programme
    ("persalinan di fasilitas kesehatan", {"spm", "kia"}, set()),  # the SPM indicator names its service
    ("lapangan serbaguna di lahan fasum", {"olahraga", "psu"}, set()),
    ("surat keterangan domisili", set(), {"pju"}),  # a statement, not lighting
    ("lampu penerangan jalan umum tenaga surya", {"pju"}, set()),
])
def test_concepts_fire_only_on_what_they_mean(analyzer, text, present, absent):
    found = analyzer.concepts_of(text)
    assert present <= found and not absent & found
