import json, os, sqlite3, time, urllib.request

GATEWAY, TOKEN = os.environ["GATEWAY"], os.environ["GATEWAY_TOKEN"]
db = sqlite3.connect(os.environ.get("CONSUMER_DB", "platform.db"))
db.executescript("create table if not exists feed (one integer primary key, next text);"
                 "create table if not exists member (list_id text, profile_id text, on_list int, sms text,"
                 " email text, primary key (list_id, profile_id));")
while True:
    row = db.execute("select next from feed").fetchone()
    url = f"{GATEWAY}/api/changes?limit=1000" + (f"&after={row[0]}" if row else "")
    page = json.load(urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})))
    with db:  # the changes and the cursor commit together, or not at all
        for change in page["data"]:
            m = change["member"]
            if change["type"] in ("joined", "left"):
                db.execute("insert or replace into member values (?, ?, ?, ?, ?)", (change["listId"],
                           change["profileId"], change["type"] == "joined", m["smsConsent"], m["emailConsent"]))
            db.execute("update member set sms = ?, email = ? where profile_id = ?",
                       (m["smsConsent"], m["emailConsent"], change["profileId"]))
        db.execute("insert or replace into feed values (1, ?)", (page["next"],))
    if not page["data"]:
        time.sleep(2)
