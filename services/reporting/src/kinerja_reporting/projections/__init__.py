"""The write side: every event of kinerja.appraisal and kinerja.feedback applied to the read
models (``handlers.py`` maps the event types to the functions here), and the rebuild that
replays them. The area folders only read what these write."""
