"""The read-only catalogue API for the mobile app: public, no session needed."""


def test_the_list_is_public_and_filters(client, db, test_items):
    data = client.get("/api/catalogue/").json()
    rent = next(i for i in data if i["code"] == "TEST-RENT")
    assert rent["name"] == "测试租房提取住房公积金" and rent["visits"] == "零跑腿"
    assert [c["label"] for c in rent["channels"]] == ["窗口办理", "网上办理", "秒批"]
    assert rent["paper_material_count"] == 2

    codes = [i["code"] for i in client.get("/api/catalogue/", {"category": "归集"}).json()]
    assert "TEST-OPEN" in codes and "TEST-RENT" not in codes
    codes = [i["code"] for i in client.get("/api/catalogue/", {"q": "租房"}).json()]
    assert "TEST-RENT" in codes and "TEST-OPEN" not in codes


def test_the_detail_marks_what_shared_data_replaces(client, db, test_items):
    data = client.get("/api/catalogue/TEST-RENT/").json()
    by_code = {m["code"]: m for m in data["materials"]}
    assert by_code["no_home"]["shared_by"] == "property" and by_code["no_home"]["shared_by_label"] == "不动产登记"
    assert by_code["lease"]["shared_by"] == "" and by_code["lease"]["form"] == "复印件" and by_code["lease"]["copies"] == 2
    assert data["conditions"][0] == "本人及配偶在本市无自有住房"
    assert data["legal_basis"] == ["《住房公积金管理条例》"] and data["extra"] == {"提取额度": "每年不超过政策上限"}


def test_an_unknown_code_is_a_404_with_a_chinese_message(client, db, test_items):
    response = client.get("/api/catalogue/NOPE/")
    assert response.status_code == 404 and "未找到" in response.json()["detail"]


def test_the_api_ignores_a_session_and_refuses_writes(client, world, test_items):
    client.force_login(world.clerk)
    assert client.get("/api/catalogue/TEST-RENT/").status_code == 200
    assert client.post("/api/catalogue/", {}).status_code == 405
