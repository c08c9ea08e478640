"""Code exercises (topic ``code``): the student writes the function, property checks grade it.

Each exercise's ``solve`` returns :class:`grader.Checks`: the function's inputs for
this variant (drawn from its ``rng``) plus named edge cases, each with core's answer.
The student's code runs only in the sandbox (see :mod:`grader.code_answers`).
"""
