"""Writes to School Improvement Plans, by area: versions (the content freeze), workflow
(submit, approve, return, review), content (self-assessment, needs, strategies, steps) and
goals (goals, interim targets, checkpoints, agenda links)."""
