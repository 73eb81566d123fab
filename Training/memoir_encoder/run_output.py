"""A trainer's output folder, written whole in a staging folder and swapped in at the end, with a JSONL run log.

A run that fails or is interrupted leaves the previous model untouched: nothing is half-written.
"""
import json
import os
import shutil
import time


class RunOutput:
    @classmethod
    def produce(cls, out, body):
        """Calls body(output) and swaps the result in; a failure or interruption leaves `out` as it was."""
        output = cls(out)
        try:
            body(output)
        except BaseException:
            output.abandon()
            raise
        output.commit()

    def __init__(self, out):
        self.out = os.path.abspath(out)
        self.staging = self.out + f".tmp-{os.getpid()}"
        shutil.rmtree(self.staging, ignore_errors=True)
        os.makedirs(self.staging)
        self.start = time.time()
        self._log = open(os.path.join(self.staging, "training-log.jsonl"), "w")

    def path(self, name):
        """Where a file of the finished model is written (inside the staging folder)."""
        return os.path.join(self.staging, name)

    def log(self, **fields):
        record = {"t": round(time.time() - self.start, 1), **fields}
        line = json.dumps(record)
        print(line, flush=True)
        self._log.write(line + "\n")
        self._log.flush()

    def write_json(self, name, value):
        with open(self.path(name), "w") as f:
            json.dump(value, f, indent=2)
            f.write("\n")

    def commit(self):
        """Replaces the output folder with the staging folder (a rename each: never a mix of old and new)."""
        self._log.close()
        if os.path.exists(self.out):
            old = self.out + f".old-{os.getpid()}"
            os.rename(self.out, old)
            os.rename(self.staging, self.out)
            shutil.rmtree(old)
        else:
            os.rename(self.staging, self.out)

    def abandon(self):
        self._log.close()
        shutil.rmtree(self.staging, ignore_errors=True)
