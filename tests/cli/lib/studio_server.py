"""What the studio's tests share: a folder of journeys to serve, `cjsim studio` started on it
(its address and token read from its first line) and stopped with Ctrl-C, and requests with
every header under the test's control."""
import http.client
import json
import os
import re
import shutil
import signal
import subprocess


def make_folder(source, folder):
    """Copies the retail journey and two of its future states, the bank's journey (a map with
    its words), one of its future states and that future state as a workshop estimated it
    (uncertain inputs), and a calendar journey (the bank's contact centre), one of its future
    states and its patience estimated, into `folder`."""
    examples = os.path.join(source, "scenarios", "examples")
    for name in ("retail.yaml", "retail_one_click_checkout.yaml", "retail_store_push.yaml",
                 "bank_current_account.yaml", "bank_current_account_guided_id.yaml",
                 "bank_current_account_guided_id_estimate.yaml",
                 "bank_call_centre.yaml", "bank_call_centre_call_back.yaml",
                 "bank_call_centre_estimate.yaml"):
        shutil.copy(os.path.join(examples, name), folder)


class Studio:
    def __init__(self, cjsim, folder, *args):
        self.process = subprocess.Popen([cjsim, "studio", folder, *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.first_line = self.process.stdout.readline().strip()
        match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{64})", self.first_line)
        if not match:
            self.process.kill()
            raise SystemExit(f"FAIL: cjsim studio's first line is {self.first_line!r}: "
                             f"{self.process.stderr.read()}")
        self.port, self.token = int(match.group(1)), match.group(2)
        self.host = f"127.0.0.1:{self.port}"

    def request(self, method, path, body=None, headers=None, token=True, raw=None):
        """(status, headers, parsed JSON or text) of one request; `token` adds the
        Authorization header, `raw` sends bytes as they are."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {"Host": self.host}
        if token:
            sent["Authorization"] = f"token {self.token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for key, value in sent.items():
            if value is not None:
                connection.putheader(key, value)
        if data is not None:
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        kind = response.getheader("Content-Type", "")
        parsed = json.loads(payload) if kind.startswith("application/json") else payload.decode()
        return response.status, dict(response.getheaders()), parsed

    def stop(self):
        """Ctrl-C; returns the exit code and what it said on stderr."""
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return None, "did not stop within 30 s of Ctrl-C"
        return code, self.process.stderr.read()
