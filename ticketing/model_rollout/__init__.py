"""Retrain the assistant from labelled conversations, compare the candidate with the active model,
and swap Rasa's model without downtime (issue 20, item 3).

- `datasets`: the labelled rows held out by a hash of their text, and the fixed test rows.
- `folds`, `evaluate`: the same cross-validation folds for the old and the new data, and the
  scores of a model on a test file.
- `gate`: the comparison that refuses a candidate worse overall or on an intent.
- `retrain`: train the candidate (with `bot/model_cache.py`), evaluate both, save the evaluation.
- `rasa_api`, `state`, `activate`: `PUT /model` on the running Rasa, and which model is active.
- `cli`: `supportbot training retrain | activate | restore`.
"""
