/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_format.h - the input of fuzz_engine, one conversation (all numbers
 * little-endian).  tests/fuzz/make-seeds.py writes it from captures.
 *
 * Header, FZ_HEADER bytes:
 *   0  u32 ISN of endpoint 0 (the first sender)    8  u16 port of endpoint 0
 *   4  u32 ISN of endpoint 1                      10  u16 port of endpoint 1
 *  12  u8  bits 0-1: an earlier conversation on the same ports that the
 *          client (0) or the server (1) closed first, or reset (2); 3 none;
 *          bits 2-3: the capture goes on 0, 45, 90 or 135 s after the last packet;
 *          bits 4-5: that earlier conversation ended 0.5, 5, 30 or 100 s
 *          before the first packet; bit 6: the ICMP source address is not
 *          known; bit 7: the listener answered other clients (listener_busy)
 *  13  u8  bit 7: answer_wait is bits 0-6 / 4 seconds (else the default)
 *
 * Then packets, FZ_RECORD bytes each (a shorter tail is ignored):
 *   0  u8  op: FZ_OP_* below
 *   1  u8  TCP flags (FIN 0x01 ... URG 0x20)
 *   2  u16 payload length
 *   4  u32 seq: offset from the sender's ISN, or with FZ_OP_SEQ_REL a
 *          signed 16-bit step from the end of what the sender has sent
 *   8  u32 ack: the same, from the peer's ISN / what the peer has sent
 *  12  u16 window (ICMP: the MTU it names)
 *  14  u8  TTL or hop limit
 *  15  u8  time since the previous packet: (b & 31) * 10^((b >> 5) - 6)
 *          seconds; 0xff: one millisecond earlier
 *  16  u16 IPv4 identification
 *  18  u16 with FZ_OP_SACK: the first SACK block, (low byte * 100) after
 *          the ack, (high byte * 100) long; FZ_OP_REPEAT: sent again,
 *          the low byte times more, 0xffff: 65536 times more (counters
 *          past 16 bits; once per input), each copy the time step later
 *          with the next IPv4 identification; ICMP: which type and code
 *          (see icmp_kinds)
 */
#ifndef FUZZ_FORMAT_H
#define FUZZ_FORMAT_H

#define FZ_HEADER 14
#define FZ_RECORD 20

#define FZ_OP_SENDER1 0x01u  /* sent by endpoint 1 (ICMP: quotes its segment) */
#define FZ_OP_KIND    0x06u
#define FZ_OP_ICMP    0x04u  /* an ICMP error about a segment */
#define FZ_OP_REPEAT  0x06u  /* a segment, repeated */
#define FZ_OP_SEQ_REL 0x08u
#define FZ_OP_ACK_REL 0x10u
#define FZ_OP_IP6     0x20u
#define FZ_OP_DF      0x40u  /* IPv4 DF; ICMP: sent by the quoted segment's destination */
#define FZ_OP_SACK    0x80u

#endif
