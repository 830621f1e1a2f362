-- wrk script: POST the benchmark body.
wrk.method = "POST"
wrk.body = '{"amount": 42, "city": "Warszawa"}'
wrk.headers["Content-Type"] = "application/json"
