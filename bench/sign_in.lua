-- wrk script: wrong administrator passwords, as fast as they go.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "password=not-the-password"
