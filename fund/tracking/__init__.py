"""我的办件: one register of every application of every line, for its applicant, the window and the public.

Each business line registers its application models here (`registry.register_tracked`) with a function that
describes one application as it stands now (`Tracked`); the core keeps one `Application` row per application
(one number format across lines, the current step, its deadline, the history of steps) whenever a registered
record is saved or its status moves (`fund.workflow.moves`). Ratings, the window assessment and the centre's
efficiency figures all read these rows, never the lines' own tables.
"""
