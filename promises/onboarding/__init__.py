"""Onboarding an existing medborgarlöfte (issue 15, DESIGN §12).

An editor pastes a promise text or uploads a text PDF or .docx; ``promises.parsing`` reads it;
the review page shows every parsed field beside the words it came from; "Skapa utkast" creates
the draft period through ``promises.services`` in one transaction (``services.create_draft``).
The parsed state is never stored: the session keeps the text, and the parser (deterministic)
reads it again for each page.
"""
