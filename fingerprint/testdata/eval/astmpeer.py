#!/usr/bin/python3
"""ASTM E1381 over TCP for record.sh.

  astmpeer.py server ADDR PORT     the LIS: ACKs ENQ and every frame whose
                                   checksum is right, NAKs the others, until
                                   SIGTERM
  astmpeer.py send ADDR PORT FILE  an analyser: ENQ, then every frame of FILE
                                   (an analyser's framed E1394 records as
                                   captured, STX ... ETX/ETB C1 C2 CR LF),
                                   each waiting for the ACK, then EOT

FILE is sent byte for byte: a frame whose trailing LF the capture lost gets it
back, so that the LIS sees a whole frame.
"""
import signal
import socket
import sys
import time

ENQ, ACK, NAK, EOT, STX = b"\x05", b"\x06", b"\x15", b"\x04", b"\x02"


def frames(data):
    for part in data.split(STX)[1:]:
        part = part.rstrip(b"\r\n")
        yield STX + part + b"\r\n"


def send(addr, port, path):
    data = open(path, "rb").read()
    with socket.create_connection((addr, port), timeout=10) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(ENQ)
        if s.recv(1) != ACK:
            sys.exit("astmpeer: ENQ not acknowledged")
        n = 0
        for f in frames(data):
            s.sendall(f)
            r = s.recv(1)
            if r != ACK:
                sys.exit("astmpeer: frame %d answered %r" % (n + 1, r))
            n += 1
        s.sendall(EOT)
        time.sleep(0.2)
    print("astmpeer: sent %d frames" % n, flush=True)


def checksum_ok(f):
    # STX FN text ETX|ETB C1 C2 CR LF: the sum of FN..ETX modulo 256.
    body, ck = f[1:-4], f[-4:-2]
    return len(body) >= 2 and body[-1] in (3, 0x17) and b"%02X" % (sum(body) & 0xFF) == ck.upper()


def serve(c):
    buf = b""
    while True:
        data = c.recv(65536)
        if not data:
            return
        buf += data
        while buf:
            if buf[:1] == ENQ:
                c.sendall(ACK)
                buf = buf[1:]
            elif buf[:1] == STX:
                end = buf.find(b"\r\n")
                if end < 0:
                    break
                f, buf = buf[:end + 2], buf[end + 2:]
                c.sendall(ACK if checksum_ok(f) else NAK)
            else:
                buf = buf[1:]  # EOT or junk


def server(addr, port):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(4)
    while True:
        c, _ = ls.accept()
        with c:
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            serve(c)


if __name__ == "__main__":
    cmd, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if cmd == "server":
        server(addr, port)
    else:
        send(addr, port, sys.argv[4])
