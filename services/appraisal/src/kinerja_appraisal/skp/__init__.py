"""SKP (Sasaran Kinerja Pegawai) plans: RHK items, IKI indicators, approval and versions."""
