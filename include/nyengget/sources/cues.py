"""The words of Indonesian calls, one place: submission processes, deadlines and openings, events
that have dates but are no windows, extensions. Used by `textdates` and `extract`."""

from __future__ import annotations

import re

DAY = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)"
DEADLINE_WORDS = re.compile(r"paling\s+lambat|selambat|batas|sebelum|hingga|sampai|mulai|dibuka|ditutup",
                            re.I)
CLOSE = re.compile(r"(paling\s+lambat|selambat-lambatnya|batas\s+(?:akhir|waktu)|tenggat|deadline|ditutup|menutup|"
                   r"penutupan|berakhir|terakhir|sebelum|hingga|sampai\s+dengan|sampai|s\.?\s?d\.?|s/d)", re.I)
OPEN = re.compile(r"(dibuka|mulai|pembukaan|sejak|dimulai|terhitung)", re.I)
# submission processes addressed to applicants: these alone make a date a window date
SUBMIT_STRONG = re.compile(
    r"(pendaftaran|mendaftar|didaftarkan|pengusulan|mengusulkan|diusulkan|pengajuan|mengajukan|diajukan|"
    r"penyampaian\s+(?:usulan|proposal|berkas|dokumen|data|laporan)|pengiriman|registrasi|submit|"
    r"unggah|upload|pelaporan|melaporkan|dilaporkan|penginputan|penginput|menginput|input\s+data|"
    r"pengisian|mengisi|penjaringan|penerimaan\s+(?:usulan|proposal|berkas)|batas\s+(?:waktu|akhir)|"
    r"(?:penilaian|evaluasi|asesmen)\s+mandiri|self[- ]assessment)", re.I)
# objects of a submission: count only when no event word is in the clause
SUBMIT_WEAK = re.compile(r"(usulan|proposal|permohonan|berkas|dokumen|disampaikan|dikirim|pendaftar)", re.I)
EVENT = re.compile(
    r"(penilaian(?!\s+mandiri)|menilai|verifikasi|visitasi|kunjungan|peninjauan|lapangan|asesmen|assesment|"
    r"assessment|asessment|wawancara|presentasi|penjurian|seleksi|evaluasi(?!\s+mandiri)|pembahasan|"
    r"sinkronisasi|harmonisasi|fgd|rapat|undangan|hadir|pertemuan|sosialisasi|sosialiasi|bimtek|webinar|"
    r"pelatihan|penganugerahan|anugerah|malam\s+puncak|diumumkan|penetapan|ditetapkan|"
    # "pengumuman" heads many calls (PENGUMUMAN Nomor …); only the announcement of results is an event
    r"pengumuman\s+(?:hasil|pemenang|penerima|finalis|nominasi|nominator|kelulusan|peringkat)|"
    r"pencairan|penyaluran|diluncurkan|peluncuran|musrenbang|hari,\s*tanggal|peraturan|nomor|keputusan|"
    r"surat\s+edaran)", re.I)
EXTENDED = re.compile(r"(diperpanjang|perpanjangan|memperpanjang|diundur|pengunduran|menambah\s+waktu|"
                      r"penambahan\s+waktu|menjadi)\W+(?:\w+\W+){0,4}$", re.I)
# "31 Januari menjadi 15 Februari", "2 Mei, diperpanjang sampai 6 Mei": the first date is the old one
REPLACED_BY = re.compile(r"^\W*(?:[\w.:]+\W+){0,3}?(menjadi|diperpanjang|diundur|ditambah)\b", re.I)
PAST = re.compile(r"^\W{0,3}(?:yang\s+)?lalu\b")
CLOSED = re.compile(r"\b(?:telah|sudah)\s+(?:ditutup|berakhir|selesai|usai)\b", re.I)
OPENED = re.compile(rf"\b(?:dibuka|dibukanya)\s+(?:kembali\s+)?(?:(?:mulai|pada|sejak|tanggal|tgl\.?|per)\s+)*"
                    rf"(?:hari\s+ini\s+)?(?:{DAY}\s*,?\s*)?$", re.I)
WAS = re.compile(r"\bsemula\b", re.I)
NOW = re.compile(r"\b(menjadi|diperpanjang|diundur)\b", re.I)
