"""The Centre's pull of rows in chunks (``centre.store.pull_rows``), on SQLite and PostgreSQL: rows of several
devices, pulled a few at a time from any counters, come each exactly once, in each device's order, and the
counters end at what every device sent."""

import json
import uuid

import pytest

from ssd_starter.centre import store as centre_store


def _push(engine, district_id: str, origin: str, seqs: range) -> None:
    records = []
    for seq in seqs:
        row_id = str(uuid.uuid4())
        records.append({"table": "stakeholder", "id": row_id, "seq": seq,
                        "row": {"id": row_id, "version": 1, "origin": origin, "deleted": seq % 7 == 0},
                        "base": None})
    with engine.begin() as conn:
        centre_store._store_rows(conn, engine, district_id, origin, seqs[-1], records)


@pytest.mark.parametrize("limit", [1, 4, 25, 1000])
@pytest.mark.parametrize("start", ["nothing", "part"])
def test_rows_of_several_devices_come_once_each_in_order_and_the_counters_end_at_their_last(
        database_url, limit, start):
    engine = centre_store.connect(database_url)
    try:
        district_id = str(uuid.uuid4())
        devices = {str(uuid.uuid4()): range(1, 1 + n) for n in (9, 3, 14)}
        for origin, seqs in devices.items():
            _push(engine, district_id, origin, seqs)
        _push(engine, str(uuid.uuid4()), str(uuid.uuid4()), range(1, 5))  # another district's: never pulled
        first, *_ = devices
        have = {} if start == "nothing" else {first: 5}
        got: dict[str, list[int]] = {origin: [] for origin in devices}
        for _round in range(100):
            pulled = centre_store.pull_rows(engine, district_id, have, limit)
            assert len(pulled.records) <= limit
            for text in pulled.records:
                record = json.loads(text)
                assert record["op"] == ("delete" if record["row"]["deleted"] else "update")
                got[record["source"]].append(record["seq"])
            assert all(have.get(k, -1) <= v for k, v in pulled.counters.items())  # counters only grow
            have = {**have, **pulled.counters}
            if not pulled.more:
                break
        skipped = {first: 5} if start == "part" else {}
        assert got == {origin: [s for s in seqs if s > skipped.get(origin, 0)] for origin, seqs in devices.items()}
        assert {k: have[k] for k in devices} == {origin: seqs[-1] for origin, seqs in devices.items()}
        again = centre_store.pull_rows(engine, district_id, have, limit)
        assert again.records == [] and not again.more
    finally:
        engine.dispose()


def test_the_push_looks_up_foreign_ids_through_the_index_whatever_the_statistics(database_url):
    """The check that no pushed id is another district's reads the (table, id) index for the ids: seen in the
    bench, PostgreSQL joined every row of the table to every id when it planned the list as a subquery before
    its statistics caught up with a large first push (1.9 s for one chunk)."""

    engine = centre_store.connect(database_url)
    try:
        _push(engine, str(uuid.uuid4()), str(uuid.uuid4()), range(1, 3001))
        ids = [str(uuid.uuid4()) for _ in range(2000)]
        query = centre_store._foreign_ids_query(engine.dialect.name)
        with engine.connect() as conn:
            params = {"table": "stakeholder", "ids": json.dumps(ids), "district_id": str(uuid.uuid4())}
            assert conn.execute(query, params).scalar() is None
            compiled = query.compile(dialect=engine.dialect)
            explain = "EXPLAIN " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
            plan = "\n".join(str(line[-1]) for line in conn.exec_driver_sql(
                explain + str(compiled), _driver_parameters(engine, compiled, params)).all())
    finally:
        engine.dispose()
    if engine.dialect.name == "postgresql":
        assert "row_id)::text = ANY" in plan and "Join Filter" not in plan, plan
    else:
        assert "ix_centre_row_id (table_name=? AND row_id=?)" in plan, plan


def _driver_parameters(engine, compiled, params):
    values = compiled.construct_params(params)
    if engine.dialect.paramstyle in ("named", "pyformat"):
        return values
    return tuple(values[name] for name in compiled.positiontup)
