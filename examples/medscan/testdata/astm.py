#!/usr/bin/python3
"""Tiny ASTM E1381/E1394 exchange for record.sh (127.0.0.1 only).

  astm.py server PORT   the LIS: ACKs ENQ and every frame with a good checksum,
                        NAKs a frame with a bad one, serves connections until SIGTERM
  astm.py client PORT   a chemistry analyzer: ENQ, H/P/O/R/C/L records in frames
                        (frame numbers 1..7,0 rolling; a comment longer than 240
                        characters is split into an ETB and an ETX frame), one frame
                        first sent with a corrupted checksum and retransmitted after
                        the NAK, then EOT

Frame: STX FN text ETB|ETX C1 C2 CR LF, where the text of the last frame of a
record ends with the record's CR and the checksum is the sum of the bytes from
FN up to and including ETB/ETX, modulo 256, as two uppercase hex digits.
"""
import signal
import socket
import sys
import time

ENQ, ACK, NAK, EOT = b"\x05", b"\x06", b"\x15", b"\x04"
STX, ETX, ETB, CR, LF = 0x02, 0x03, 0x17, 0x0D, 0x0A
MAX_TEXT = 240

RECORDS = [
    "H|\\^&|||COBAS-C311^1.0^SN12345|||||LIS01||P|1|20261129084601",
    "P|1||MRN100234||DOE^JANE^Q||19750314|F",
    "O|1|S26-33302||^^^GLU\\^^^CREA\\^^^K|R|20261129083000|||||N||||SERUM",
    "R|1|^^^GLU|142|mg/dL|70-99|H||F||||20261129084510",
    "R|2|^^^CREA|0.9|mg/dL|0.6-1.2|N||F||||20261129084520",
    "R|3|^^^K|4.1|mmol/L|3.5-5.1|N||F||||20261129084530",
    "C|1|I|Sample flagged by operator: lipemic index 112 above the reporting limit "
    "for potassium interference checks; glucose result above the reference range, "
    "repeat run on module 2 agreed within 2 percent; physician notified per policy "
    "LAB-CRIT-07 by phone at 08:47, read-back confirmed by the charge nurse on ward 4W "
    "(fake data for a test capture)|G",
    "L|1|N",
]
CORRUPT_FRAME = 5  # the 5th frame is first sent with a wrong checksum


def frame(fn, text, final):
    body = bytes([0x30 + fn]) + text + bytes([ETX if final else ETB])
    return bytes([STX]) + body + b"%02X" % (sum(body) & 0xFF) + bytes([CR, LF])


def frames():
    fn = 1
    for rec in RECORDS:
        text = rec.encode("ascii") + b"\r"
        while len(text) > MAX_TEXT:
            yield frame(fn, text[:MAX_TEXT], False)
            text, fn = text[MAX_TEXT:], (fn + 1) % 8
        yield frame(fn, text, True)
        fn = (fn + 1) % 8


def client(port):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(ENQ)
        if s.recv(1) != ACK:
            sys.exit("astm client: ENQ not acknowledged")
        for i, f in enumerate(frames(), 1):
            time.sleep(0.05)
            if i == CORRUPT_FRAME:
                bad = f[:-4] + (b"00" if f[-4:-2] != b"00" else b"FF") + f[-2:]
                s.sendall(bad)
                r = s.recv(1)
                print("astm client: frame %d with a corrupted checksum -> %r" % (i, r), flush=True)
                time.sleep(0.05)
            s.sendall(f)
            r = s.recv(1)
            if r != ACK:
                sys.exit("astm client: frame %d answered %r" % (i, r))
        s.sendall(EOT)
        time.sleep(0.1)
    print("astm client: sent %d records" % len(RECORDS), flush=True)


def serve_conn(c):
    buf = b""
    while True:
        data = c.recv(4096)
        if not data:
            return
        buf += data
        while buf:
            b0 = buf[:1]
            if b0 == ENQ:
                c.sendall(ACK)
                buf = buf[1:]
            elif b0 == EOT:
                print("astm server: EOT", flush=True)
                buf = buf[1:]
            elif b0[0] == STX:
                end = buf.find(b"\r\n")
                if end < 0:
                    break  # need more
                f, buf = buf[: end + 2], buf[end + 2:]
                body, ck = f[1:-4], f[-4:-2]
                ok = len(body) >= 2 and body[-1] in (ETX, ETB) and b"%02X" % (sum(body) & 0xFF) == ck
                c.sendall(ACK if ok else NAK)
                print("astm server: frame %s %s" % (body[:1].decode(), "ACK" if ok else "NAK"), flush=True)
            else:
                buf = buf[1:]  # junk


def server(port):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(4)
    print("astm server: listening on 127.0.0.1:%d" % port, flush=True)
    while True:
        c, _ = ls.accept()
        with c:
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            serve_conn(c)


if __name__ == "__main__":
    {"server": server, "client": client}[sys.argv[1]](int(sys.argv[2]))
