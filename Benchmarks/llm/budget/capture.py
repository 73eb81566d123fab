"""Records each POST body to a folder and answers 400: captures the exact chat requests memoir sends.

    python3 capture.py PORT FOLDER
"""
import http.server, json, sys, os
out = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers['Content-Length']); body = self.rfile.read(n)
        i = len(os.listdir(out)); open(f"{out}/{i:03d}.json","wb").write(body)
        self.send_response(400); self.send_header('Content-Type','application/json'); self.end_headers()
        self.wfile.write(b'{"error":{"message":"captured"}}')
    def log_message(self,*a): pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
