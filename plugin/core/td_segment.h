/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_segment.h - one TCP segment as the glue hands it to the core: the
 * TCP header fields the engine follows and the IP header fields the reset
 * forensics compare.  The core's one definition of the TCP flag bits.
 */
#ifndef TD_SEGMENT_H
#define TD_SEGMENT_H

#include <stdbool.h>
#include <stdint.h>

/* TCP header flag bits, as in the header (RFC 9293 3.1). */
#define TD_TH_FIN 0x01u
#define TD_TH_SYN 0x02u
#define TD_TH_RST 0x04u
#define TD_TH_PSH 0x08u
#define TD_TH_ACK 0x10u
#define TD_TH_URG 0x20u

/* One segment as seen at the capture point. */
typedef struct {
    uint32_t frame;
    double   ts;           /* seconds, any epoch */
    uint32_t seq, ack;     /* raw, not relative */
    uint32_t payload_len;
    uint16_t window;       /* raw window field, unscaled */
    uint32_t sack_left, sack_right; /* its first SACK block; equal: none */
    uint8_t  flags;        /* TD_TH_* */
    uint8_t  sender;       /* endpoint index 0 or 1 */
    /* The IP header carrying it (ip == 0: not known). */
    uint8_t  ip;           /* 4 or 6 */
    uint8_t  ttl;          /* IPv4 TTL or IPv6 hop limit */
    uint16_t ip_id;        /* IPv4 identification */
    bool     df;           /* IPv4 don't-fragment bit */
} td_segment;

#endif /* TD_SEGMENT_H */
