import pytest

from source_brightpearl.api.envelopes import MalformedDetailResponse, converter


def test_list_envelope():
    assert list(converter("list")({"response": [{"id": 2}, {"id": 1}]})) == [{"id": 2}, {"id": 1}]


def test_map_envelope_adds_the_key():
    body = {"response": {"12447605": {"orderId": 5}, "12447606": {"orderId": 6}}}
    records = list(converter("map", key_field="goodsOutNoteId")(body))
    assert records == [{"orderId": 5, "goodsOutNoteId": 12447605}, {"orderId": 6, "goodsOutNoteId": 12447606}]


def test_journals_envelope():
    assert list(converter("journals")({"response": {"journals": [{"id": 9}]}})) == [{"id": 9}]


def test_product_prices_are_one_record_per_price_list():
    body = {
        "response": [
            {
                "productId": 1007,
                "priceLists": [
                    {"priceListId": 0, "currencyCode": "USD", "quantityPrice": {"1": "10.0000"}},
                    {"priceListId": 2, "currencyCode": "USD", "quantityPrice": {}},
                ],
            }
        ]
    }
    assert list(converter("list", "product_prices")(body)) == [
        {"productId": 1007, "priceListId": 0, "currencyCode": "USD", "quantityPrice": {"1": "10.0000"}},
        {"productId": 1007, "priceListId": 2, "currencyCode": "USD", "quantityPrice": {}},
    ]


def test_availability_is_one_record_per_warehouse():
    body = {
        "response": {
            "1532": {
                "total": {"inStock": 60},
                "warehouses": {
                    "2": {"inStock": 60, "onHand": 48, "allocated": 12, "inTransit": 0},
                    "3": {"inStock": 1, "onHand": 1, "allocated": 0, "inTransit": 0},
                },
            }
        }
    }
    records = list(converter("map", "product_availability", key_field="productId")(body))
    assert records == [
        {"productId": 1532, "warehouseId": 2, "inStock": 60, "onHand": 48, "allocated": 12, "inTransit": 0},
        {"productId": 1532, "warehouseId": 3, "inStock": 1, "onHand": 1, "allocated": 0, "inTransit": 0},
    ]


@pytest.mark.parametrize(
    "envelope,body",
    [("list", {"errors": []}), ("list", {"response": {"a": 1}}), ("map", {"response": [1]}), ("journals", {"response": []})],
)
def test_malformed_bodies_raise(envelope, body):
    with pytest.raises(MalformedDetailResponse):
        list(converter(envelope)(body))


def test_empty_map_result_as_list_is_empty():
    assert list(converter("map", key_field="goodsOutNoteId")({"response": []})) == []


def test_objects_come_with_their_ids():
    from source_brightpearl.api.envelopes import DetailReader

    contacts = DetailReader("list", id_field="contactId")
    assert [i for i, _ in contacts.identified({"response": [{"contactId": 4}, {"contactId": 2}]})] == [4, 2]
    notes = DetailReader("map", key_field="goodsOutNoteId")
    assert [i for i, _ in notes.identified({"response": {"7": {}, "9": {}}})] == [7, 9]


@pytest.mark.parametrize(
    "reader,body",
    [
        (("list",), {"response": [{"name": "no id"}]}),
        (("list",), {"response": [{"id": "12"}]}),
        (("map",), {"response": {"abc": {}}}),
    ],
)
def test_objects_without_an_integer_id_are_malformed(reader, body):
    from source_brightpearl.api.envelopes import DetailReader

    with pytest.raises(MalformedDetailResponse):
        list(DetailReader(*reader).identified(body))


def test_a_shape_that_cannot_be_flattened_is_malformed():
    from source_brightpearl.api.envelopes import DetailReader

    reader = DetailReader("map", "product_availability", key_field="productId")
    with pytest.raises(MalformedDetailResponse):
        list(reader.records({"warehouses": {"not-a-warehouse-id": {}}}))
