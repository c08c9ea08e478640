"""The roster: CSV rows in, members stored; every bad line named by its number."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import Gradebook
from grader.access import Member, list_members
from grader.roster import RosterError, check_email, import_roster, parse_roster, read_roster

HEADER = "id,name,email,role\n"


def roster(*rows: str) -> str:
    return HEADER + "".join(r + "\n" for r in rows)


def test_reads_members_in_any_column_order_with_email_lowercased() -> None:
    text = "role,email,name,id\nstudent,Ada@X.org,Ada Lovelace,s1\ninstructor,g@x.org,\"Hopper, Grace\",t1\n"
    assert parse_roster(text) == [
        Member("s1", "Ada Lovelace", "ada@x.org", "student"),
        Member("t1", "Hopper, Grace", "g@x.org", "instructor"),
    ]


def test_ids_follow_the_student_id_rule() -> None:
    # Fullwidth digits are NFKC-normalised like everywhere else.
    assert parse_roster(roster("ｓ１,Ada,a@x.org,student"))[0].id == "s1"
    with pytest.raises(RosterError, match=r"line 2: `id` may hold only letters, digits"):
        parse_roster(roster("x/../y,Ada,a@x.org,student"))
    with pytest.raises(RosterError, match=r"line 2: `id` mixes letters of several scripts"):
        parse_roster(roster("аdmin,Eve,e@x.org,student"))  # a Cyrillic а


def test_malformed_row_is_named_by_line() -> None:
    with pytest.raises(RosterError, match=r"line 3: malformed row: 3 cells, expected 4"):
        parse_roster(roster("s1,Ada,a@x.org,student", "s2,Bob,b@x.org"))


def test_duplicate_id_names_both_lines() -> None:
    with pytest.raises(RosterError, match=r"line 4: duplicate id 's1' \(first on line 2\)"):
        parse_roster(roster("s1,Ada,a@x.org,student", "s2,Bob,b@x.org,student", "s1,Al,al@x.org,student"))


def test_duplicate_email_is_refused() -> None:
    with pytest.raises(RosterError, match=r"line 3: duplicate email 'a@x.org' \(first on line 2\)"):
        parse_roster(roster("s1,Ada,a@x.org,student", "s2,Bob,A@x.org,student"))


def test_unknown_role_is_named() -> None:
    with pytest.raises(RosterError, match=r"line 2: unknown role 'teacher'; expected student or instructor"):
        parse_roster(roster("t1,Grace,g@x.org,teacher"))


@pytest.mark.parametrize("email", ["ada", "ada@", "@x.org", "a b@x.org", "Ada <a@x.org>", "a@x", "a@@x.org"])
def test_bad_email_is_named(email: str) -> None:
    with pytest.raises(RosterError, match=r"line 2: `email` is not an email address"):
        parse_roster(roster(f"s1,Ada,{email},student"))
    with pytest.raises(ValueError, match="`email` is not an email address"):
        check_email(email)


def test_every_bad_line_is_reported_at_once() -> None:
    with pytest.raises(RosterError) as info:
        parse_roster(roster("s1,Ada,a@x.org,boss", "s2,,b@x.org,student", "s3,C,nope,student"))
    message = str(info.value)
    assert "line 2: unknown role" in message
    assert "line 3: `name` must be 1 to 256 characters" in message
    assert "line 4: `email` is not an email address" in message


def test_header_must_name_the_columns() -> None:
    with pytest.raises(RosterError, match=r"line 1: the header must name the columns id,name,email,role"):
        parse_roster("id,name,role\ns1,Ada,student\n")
    with pytest.raises(RosterError, match="empty file"):
        parse_roster("")


def test_broken_quote_is_a_malformed_row() -> None:
    with pytest.raises(RosterError, match=r"line \d+: malformed row"):
        parse_roster(roster('s1,"Ada,a@x.org,student', "s2,Bob,b@x.org,student") + '"x\0')


def test_read_roster_file_with_bom_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(("\ufeff" + roster("s1,Ada,a@x.org,student", "", "t1,Grace,g@x.org,instructor")).encode())
    assert [m.id for m in read_roster(path)] == ["s1", "t1"]
    with pytest.raises(RosterError, match=r"roster\.csv: line 2"):
        (tmp_path / "roster.csv").write_text(roster("s1,Ada,a@x.org,admin"))
        read_roster(path)
    with pytest.raises(RosterError, match="not UTF-8"):
        path.write_bytes(HEADER.encode() + b"s1,\xff,a@x.org,student\n")
        read_roster(path)


def test_import_adds_updates_and_keeps_members() -> None:
    book = Gradebook("sqlite://")
    first = import_roster(book, parse_roster(roster("s1,Ada,a@x.org,student", "s2,Bob,b@x.org,student")))
    assert (first.added, first.updated) == (("s1", "s2"), ())
    # s1 changes email, s2 is unchanged, t1 is new; s1 and s2's emails swap cleanly too.
    second = import_roster(book, parse_roster(roster("s1,Ada,b@x.org,student", "s2,Bob,a@x.org,instructor")))
    assert (second.added, second.updated, second.unchanged) == ((), ("s1", "s2"), ())
    assert list_members(book) == [Member("s1", "Ada", "b@x.org", "student"), Member("s2", "Bob", "a@x.org", "instructor")]
    assert [m.id for m in list_members(book, role="instructor")] == ["s2"]
    with pytest.raises(ValueError, match="`role` must be one of student, instructor"):
        list_members(book, role="admin")


def test_import_refuses_an_email_held_by_another_member() -> None:
    book = Gradebook("sqlite://")
    import_roster(book, parse_roster(roster("s1,Ada,a@x.org,student")))
    with pytest.raises(RosterError, match=r"email 'a@x\.org' of 's2' already belongs to member 's1'"):
        import_roster(book, parse_roster(roster("s2,Eve,a@x.org,student")))
    assert [m.id for m in list_members(book)] == ["s1"]
