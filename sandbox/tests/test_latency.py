"""Latency is served per request, concurrently, as a real server does: requests in flight at once overlap instead of
queueing behind each other's latency."""

import threading

from .conftest import Api


def test_latency_does_not_serialise_requests(start_fake):
    # Eight clients send at once; each request sleeps 1 s on the server. Were latency served one request at a time,
    # no two would ever be in flight together.
    sb = start_fake(latency_ms=1000)
    clients = [Api(sb) for _ in range(8)]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def call(client: Api) -> None:
        barrier.wait()
        statuses.append(client.get("order-service/order/1").status_code)

    threads = [threading.Thread(target=call, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [200] * 8
    counters = sb.counters()
    assert counters["max_in_flight"] == 8
    assert counters["in_flight"] == 0


def test_in_flight_counts_api_requests_only(api, fake):
    api.get("order-service/order/1")
    api.get("order-service/order/2")
    counters = fake.counters()
    assert (counters["in_flight"], counters["max_in_flight"]) == (0, 1)
    fake.reset_counters()
    assert fake.counters()["max_in_flight"] == 0


def test_many_connections_opened_at_once_are_all_accepted_promptly(start_fake):
    # More clients than socketserver's default listen backlog (5) connect at the same moment; with latency 1 s, all
    # must be in flight together (a connection left in the backlog would only be accepted a SYN retry later).
    sb = start_fake(latency_ms=1000)
    clients = [Api(sb) for _ in range(16)]
    barrier = threading.Barrier(len(clients))

    def call(client: Api) -> None:
        barrier.wait()
        client.get("order-service/order/1")

    threads = [threading.Thread(target=call, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sb.counters()["max_in_flight"] == 16
