// Command relay records one TCP connection: it listens on -l, forwards to -r
// and writes what each side sent to -o.c2s and -o.s2c. Used by record.sh.
package main

import (
	"flag"
	"io"
	"net"
	"os"
	"sync"
)

func main() {
	l := flag.String("l", "127.0.0.1:9443", "")
	r := flag.String("r", "127.0.0.1:9444", "")
	o := flag.String("o", "out", "")
	flag.Parse()
	ln, err := net.Listen("tcp", *l)
	if err != nil {
		panic(err)
	}
	c, err := ln.Accept()
	if err != nil {
		panic(err)
	}
	s, err := net.Dial("tcp", *r)
	if err != nil {
		panic(err)
	}
	var wg sync.WaitGroup
	cp := func(dst, src net.Conn, name string) {
		defer wg.Done()
		f, _ := os.Create(name)
		io.Copy(io.MultiWriter(dst, f), src)
		f.Close()
		dst.(*net.TCPConn).CloseWrite()
	}
	wg.Add(2)
	go cp(s, c, *o+".c2s")
	go cp(c, s, *o+".s2c")
	wg.Wait()
}
