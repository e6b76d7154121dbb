"""lamina_grader: autograding of lamina labs on top of nbgrader.

Example:
    >>> import lamina_grader
"""

__version__ = "0.1.0"
