"""Small helpers the test modules share (fixtures are in conftest.py)."""


def text_of(response) -> str:
    """The body of a test client's response, as text."""
    return response.content.decode()
