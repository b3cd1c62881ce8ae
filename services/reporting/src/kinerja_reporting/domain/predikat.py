"""The groups of Predikat Kinerja Pegawai that reporting compares (the scales themselves are
the law's: ``kinerja_shared.law.predikat``)."""

from __future__ import annotations

from kinerja_shared.law.predikat import PredikatPegawai

BAIK_OR_BETTER: frozenset[PredikatPegawai] = frozenset(
    {PredikatPegawai.SANGAT_BAIK, PredikatPegawai.BAIK}
)
BELOW_BAIK: frozenset[PredikatPegawai] = frozenset(
    {PredikatPegawai.BUTUH_PERBAIKAN, PredikatPegawai.KURANG, PredikatPegawai.SANGAT_KURANG}
)
