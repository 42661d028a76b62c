/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-stats.c - the conversation tables: tshark -z tcpdiag,conv[,FILTER]
 * and -z tcpdiag,sum[,FILTER], and the same tables in the GUI's Statistics
 * menu.
 *
 * tshark: our own -z handlers collect the conversations whose packets pass
 * the filter and compute each row when the tables are drawn, at the end of
 * the capture, so a single pass prints final outcomes.
 *
 * GUI: table UIs (Statistics > TCP diagnosis ...) with the dialog's display
 * filter, copy and save-as.  The dialog re-reads the packets of a loaded
 * file, when every conversation's end is known, so rows are final too.
 * The table UIs carry the same -z names; tshark keeps the first handler
 * registered for a name, ours.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/stat_tap_ui.h>

#include "tcpdiag-findings.h"
#include "tcpdiag-report.h"
#include "tcpdiag-stats.h"
#include "ws-compat.h"

#define CONV_CLI "tcpdiag,conv"
#define SUM_CLI  "tcpdiag,sum"

/* ---- collecting conversations ---------------------------------------- */

typedef struct {
    GPtrArray  *convs;   /* conversation handles, first seen first */
    GHashTable *seen;
} conv_set;

static void set_init(conv_set *s)
{
    s->convs = g_ptr_array_new();
    s->seen = g_hash_table_new(g_direct_hash, g_direct_equal);
}

static void set_clear(conv_set *s)
{
    g_ptr_array_set_size(s->convs, 0);
    g_hash_table_remove_all(s->seen);
}

/* Adds the handle; TRUE if it was new. */
static gboolean set_add(conv_set *s, const void *h)
{
    if (!h || g_hash_table_contains(s->seen, h))
        return FALSE;
    g_hash_table_add(s->seen, (gpointer)h);
    g_ptr_array_add(s->convs, (gpointer)h);
    return TRUE;
}

/* Rows of the collected conversations, ordered by tcp.stream. */
static tcpdiag_row *set_rows(const conv_set *s, gboolean with_summary, wmem_allocator_t *scope)
{
    tcpdiag_row *rows = wmem_alloc0_array(scope, tcpdiag_row, s->convs->len + 1);
    for (guint i = 0; i < s->convs->len; i++)
        tcpdiag_row_get(g_ptr_array_index(s->convs, i), &rows[i], with_summary, scope);
    return rows;
}

static int by_stream(const void *a, const void *b)
{
    const tcpdiag_row *x = (const tcpdiag_row *)a, *y = (const tcpdiag_row *)b;
    return x->stream < y->stream ? -1 : x->stream > y->stream;
}

static const char *dash(const char *s)
{
    return s && *s ? s : "-";
}

/* ---- the conversation table's columns (tshark and the GUI) ----------- */

/*
 * One list of columns for both front ends: tshark prints them in this
 * order, the GUI's table has them in this order with these titles.
 * cli_width: tshark's width (0: as wide as the widest cell); the GUI
 * sizes its own.
 */
typedef enum {
    CF_STREAM, CF_CLIENT, CF_SERVER, CF_OUTCOME, CF_ZEEK, CF_HISTORY, CF_SYNS, CF_START,
    CF_DURATION, CF_CBYTES, CF_SBYTES, CF_CSTATE, CF_SSTATE, CF_ERRNO, CF_RESET, CF_SUMMARY,
    CF_COUNT
} conv_column;

static const struct {
    const char *title;
    stat_tap_table_item_enum type;   /* in the GUI */
    int cli_width;
} conv_columns[CF_COUNT] = {
    [CF_STREAM]   = { "Stream",     TABLE_ITEM_UINT,   6 },
    [CF_CLIENT]   = { "Client",     TABLE_ITEM_STRING, 0 },
    [CF_SERVER]   = { "Server",     TABLE_ITEM_STRING, 0 },
    [CF_OUTCOME]  = { "Outcome",    TABLE_ITEM_STRING, 0 },
    [CF_ZEEK]     = { "Zeek",       TABLE_ITEM_STRING, 0 },
    [CF_HISTORY]  = { "History",    TABLE_ITEM_STRING, 0 },
    [CF_SYNS]     = { "SYNs",       TABLE_ITEM_UINT,   4 },
    [CF_START]    = { "Start",      TABLE_ITEM_FLOAT,  12 },
    [CF_DURATION] = { "Duration",   TABLE_ITEM_FLOAT,  12 },
    [CF_CBYTES]   = { "Bytes C>S",  TABLE_ITEM_UINT,   10 },
    [CF_SBYTES]   = { "Bytes S>C",  TABLE_ITEM_UINT,   10 },
    [CF_CSTATE]   = { "Client end", TABLE_ITEM_STRING, 11 },
    [CF_SSTATE]   = { "Server end", TABLE_ITEM_STRING, 11 },
    [CF_ERRNO]    = { "Errno",      TABLE_ITEM_STRING, 0 },
    [CF_RESET]    = { "Reset",      TABLE_ITEM_STRING, 0 },
    [CF_SUMMARY]  = { "Summary",    TABLE_ITEM_STRING, 0 },
};

/* A row's cells as text, for tshark ("-" for an empty one: the columns
 * are told apart by spaces). */
static void conv_cells(const tcpdiag_row *r, char *cells[CF_COUNT], wmem_allocator_t *scope)
{
    cells[CF_STREAM] = wmem_strdup_printf(scope, "%u", r->stream);
    cells[CF_CLIENT] = wmem_strdup(scope, r->client);
    cells[CF_SERVER] = wmem_strdup(scope, r->server);
    cells[CF_OUTCOME] = wmem_strdup(scope, r->outcome);
    cells[CF_ZEEK] = wmem_strdup(scope, dash(r->conn_state));
    cells[CF_HISTORY] = wmem_strdup(scope, dash(r->history));
    cells[CF_SYNS] = wmem_strdup_printf(scope, "%u", r->syns);
    cells[CF_START] = wmem_strdup_printf(scope, "%.6f", r->start);
    cells[CF_DURATION] = wmem_strdup_printf(scope, "%.6f", r->duration);
    cells[CF_CBYTES] = wmem_strdup_printf(scope, "%" G_GUINT64_FORMAT, r->client_bytes);
    cells[CF_SBYTES] = wmem_strdup_printf(scope, "%" G_GUINT64_FORMAT, r->server_bytes);
    cells[CF_CSTATE] = wmem_strdup(scope, r->client_state);
    cells[CF_SSTATE] = wmem_strdup(scope, r->server_state);
    cells[CF_ERRNO] = wmem_strdup(scope, dash(r->client_errno));
    cells[CF_RESET] = wmem_strdup(scope, dash(r->reset_assessment));
    cells[CF_SUMMARY] = wmem_strdup(scope, r->summary);
}

/* ---- per-server problem counts (the sum table) ----------------------- */

typedef struct {
    const char *server;
    guint16     port;
    const char *outcome;
    guint       count;
} problem_count;

static int by_count(const void *a, const void *b)
{
    const problem_count *x = (const problem_count *)a, *y = (const problem_count *)b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    int c = strcmp(x->server, y->server);
    if (c)
        return c;
    if (x->port != y->port)
        return x->port < y->port ? -1 : 1;
    return strcmp(x->outcome, y->outcome);
}

/* ---- tshark: -z tcpdiag,conv / tcpdiag,sum --------------------------- */

typedef struct {
    conv_set    set;
    char       *filter;
    gboolean    sum;
} cli_tab;

static void cli_reset(void *p)
{
    set_clear(&((cli_tab *)p)->set);
}

static tap_packet_status cli_packet(void *p, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                    const void *data, tap_flags_t flags _U_)
{
    return set_add(&((cli_tab *)p)->set, data) ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
}

static void rule(void)
{
    printf("================================================================================\n");
}

/* Text columns are left-aligned, numbers right-aligned; the summary last,
 * as long as it is. */
static void print_row(char *const cells[CF_COUNT], const int width[CF_COUNT])
{
    for (int k = 0; k < CF_COUNT; k++) {
        const gboolean left = conv_columns[k].type == TABLE_ITEM_STRING;
        if (k == CF_SUMMARY)
            printf("%s\n", cells[k]);
        else
            printf(left ? "%-*s  " : "%*s  ", width[k], cells[k]);
    }
}

static void draw_conv(cli_tab *t, tcpdiag_row *rows, guint n)
{
    int width[CF_COUNT];
    char *cells[CF_COUNT];

    /* The summaries (the large part) one row at a time, each freed once
     * printed: a table of a million conversations is not held whole. */
    wmem_allocator_t *row_scope = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    for (int k = 0; k < CF_COUNT; k++)
        width[k] = conv_columns[k].cli_width ? conv_columns[k].cli_width
                                             : (int)strlen(conv_columns[k].title);
    for (guint i = 0; i < n; i++) {
        conv_cells(&rows[i], cells, row_scope);
        for (int k = 0; k < CF_COUNT; k++)
            if (!conv_columns[k].cli_width)
                width[k] = MAX(width[k], (int)strlen(cells[k]));
        wmem_free_all(row_scope);
    }
    rule();
    printf("TCP diagnosis: conversations\n");
    printf("Filter: %s\n", t->filter ? t->filter : "<none>");
    printf("Conversations: %u\n", n);
    for (int k = 0; k < CF_COUNT; k++)
        cells[k] = (char *)conv_columns[k].title;
    print_row(cells, width);
    for (guint i = 0; i < n; i++) {
        tcpdiag_row full;
        tcpdiag_row_get(rows[i].handle, &full, TRUE, row_scope);
        conv_cells(&full, cells, row_scope);
        print_row(cells, width);
        wmem_free_all(row_scope);
    }
    wmem_destroy_allocator(row_scope);
    rule();
}

static void draw_sum(cli_tab *t, tcpdiag_row *rows, guint n)
{
    GHashTable *by_outcome = g_hash_table_new(g_str_hash, g_str_equal);
    GArray *problems = g_array_new(FALSE, FALSE, sizeof(problem_count));
    /* "server|port|outcome" -> index + 1 in problems */
    GHashTable *problem_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GList *outcomes, *l;
    guint nproblems = 0;

    for (guint i = 0; i < n; i++) {
        const tcpdiag_row *r = &rows[i];
        guint c = GPOINTER_TO_UINT(g_hash_table_lookup(by_outcome, r->outcome));
        g_hash_table_insert(by_outcome, (gpointer)r->outcome, GUINT_TO_POINTER(c + 1));
        if (!r->problem)
            continue;
        nproblems++;
        char key[128];
        snprintf(key, sizeof key, "%s|%u|%s", r->server_addr, r->server_port, r->outcome);
        guint k = GPOINTER_TO_UINT(g_hash_table_lookup(problem_index, key));
        if (k) {
            g_array_index(problems, problem_count, k - 1).count++;
        } else {
            problem_count p = { r->server_addr, r->server_port, r->outcome, 1 };
            g_array_append_val(problems, p);
            g_hash_table_insert(problem_index, g_strdup(key), GUINT_TO_POINTER(problems->len));
        }
    }
    g_hash_table_destroy(problem_index);
    g_array_sort(problems, by_count);

    rule();
    printf("TCP diagnosis: summary\n");
    printf("Filter: %s\n", t->filter ? t->filter : "<none>");
    printf("Conversations: %u, with a problem: %u\n", n, nproblems);
    printf("\n%-24s %12s\n", "Outcome", "Conversations");
    outcomes = g_list_sort(g_hash_table_get_keys(by_outcome), (GCompareFunc)g_strcmp0);
    for (l = outcomes; l; l = l->next)
        printf("%-24s %12u\n", (const char *)l->data,
               GPOINTER_TO_UINT(g_hash_table_lookup(by_outcome, l->data)));
    g_list_free(outcomes);
    printf("\nProblems by server\n");
    printf("%-40s %5s  %-24s %12s\n", "Server", "Port", "Outcome", "Conversations");
    for (guint k = 0; k < problems->len; k++) {
        const problem_count *p = &g_array_index(problems, problem_count, k);
        printf("%-40s %5u  %-24s %12u\n", p->server, p->port, p->outcome, p->count);
    }
    /* Findings are about the whole capture, whatever the filter. */
    wmem_allocator_t *scope = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    const tcpdiag_finding_row *f;
    guint nf = tcpdiag_findings(&f, scope);
    printf("\nCapture-wide findings: %u\n", nf);
    for (guint k = 0; k < nf; k++)
        printf("%-16s %s\n", f[k].token, f[k].text);
    wmem_destroy_allocator(scope);
    rule();
    g_array_free(problems, TRUE);
    g_hash_table_destroy(by_outcome);
}

static void cli_draw(void *p)
{
    cli_tab *t = (cli_tab *)p;
    wmem_allocator_t *scope = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    /* Without summaries: draw_conv makes them row by row. */
    tcpdiag_row *rows = set_rows(&t->set, FALSE, scope);
    guint n = t->set.convs->len;

    qsort(rows, n, sizeof *rows, by_stream);
    if (t->sum)
        draw_sum(t, rows, n);
    else
        draw_conv(t, rows, n);
    wmem_destroy_allocator(scope);
}

static void cli_finish(void *p)
{
    cli_tab *t = (cli_tab *)p;
    g_ptr_array_free(t->set.convs, TRUE);
    g_hash_table_destroy(t->set.seen);
    g_free(t->filter);
    g_free(t);
}

static gboolean cli_init(const char *opt_arg, gboolean sum)
{
    const char *name = sum ? SUM_CLI : CONV_CLI;
    cli_tab *t = g_new0(cli_tab, 1);
    const char *filter = NULL;
    GString *err;

    if (g_str_has_prefix(opt_arg, name)) {
        filter = opt_arg + strlen(name);
        if (*filter == ',')
            filter++;
        if (*filter == '\0')
            filter = NULL;
    }
    t->sum = sum;
    t->filter = g_strdup(filter);
    set_init(&t->set);
    err = register_tap_listener("tcpdiag", t, filter, 0, cli_reset, cli_packet, cli_draw, cli_finish);
    if (err) {
        fprintf(stderr, "tshark: invalid -z %s argument: %s\n", name, err->str);
        g_string_free(err, TRUE);
        cli_finish(t);
        exit(1);
    }
    return TRUE;
}

static td_stat_tap_init_ret conv_cli_init(const char *opt_arg, void *userdata _U_)
{
    TD_STAT_TAP_INIT_RETURN(cli_init(opt_arg, FALSE));
}

static td_stat_tap_init_ret sum_cli_init(const char *opt_arg, void *userdata _U_)
{
    TD_STAT_TAP_INIT_RETURN(cli_init(opt_arg, TRUE));
}

/* ---- GUI: Statistics > TCP diagnosis ... ------------------------------ */

/* Filled from conv_columns at registration. */
static stat_tap_table_item conv_fields[CF_COUNT];

/* Both sum tables share the dialog's columns: "Outcomes" (all servers)
 * and "Problems by server". */
enum { SF_SERVER, SF_PORT, SF_OUTCOME, SF_COUNT_COL, SF_COUNT };
static stat_tap_table_item sum_fields[SF_COUNT] = {
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Server", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Port", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Outcome", "%s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Conversations", "%u" },
};

#define CONV_TABLE "TCP diagnosis: conversations"
#define OUTCOME_TABLE "Outcomes"
#define PROBLEM_TABLE "Problems by server"
#define FINDING_TABLE "Capture-wide findings"

/* Conversations already in the GUI tables; row keys of the sum tables. */
static conv_set gui_conv, gui_sum;

static GHashTable *gui_sum_rows;   /* "outcome" or "server|port|outcome" -> row + 1 */

static stat_tap_table_ui conv_gui, sum_gui;
static void fill_findings(stat_tap_table *table);

static void gui_table_reset(stat_tap_table *table)
{
    const gboolean is_conv = !strcmp(table->title, CONV_TABLE);
    stat_tap_table_ui *ui = is_conv ? &conv_gui : &sum_gui;

    /* Every dialog of one kind shares these tables, and a dialog reads its
     * rows (sorting, Copy, Save as) after its own retap.  Free them only
     * when no other dialog of this kind is open; otherwise leave them to
     * the dialog that shows them (a second dialog's cost, not a leak that
     * grows with each Apply). */
    if (ui->refcount <= 1) {
        for (guint r = 0; r < table->num_elements; r++) {
            for (guint f = 0; f < table->num_fields; f++) {
                stat_tap_table_item_type *it = stat_tap_get_field_data(table, r, f);
                if (it->type == TABLE_ITEM_STRING)
                    g_free((char *)it->value.string_value);
            }
            g_free(table->elements[r]);
            table->elements[r] = NULL;
        }
    }
    table->num_elements = 0;
    if (!strcmp(table->title, CONV_TABLE)) {
        set_clear(&gui_conv);
    } else {
        set_clear(&gui_sum);
        if (gui_sum_rows)
            g_hash_table_remove_all(gui_sum_rows);
        /* Findings do not depend on the dialog's filter. */
        if (!strcmp(table->title, FINDING_TABLE))
            fill_findings(table);
    }
}

static void gui_free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_,
                          stat_tap_table_item_type *it)
{
    if (it->type == TABLE_ITEM_STRING) {
        g_free((char *)it->value.string_value);
        it->value.string_value = NULL;
    }
}

static void item_str(stat_tap_table_item_type *it, const char *s)
{
    it->type = TABLE_ITEM_STRING;
    it->value.string_value = g_strdup(s ? s : "");
}

static void item_uint(stat_tap_table_item_type *it, guint v)
{
    it->type = TABLE_ITEM_UINT;
    it->value.uint_value = v;
}

static void add_table(stat_tap_table_ui *ui, const char *name, guint nfields)
{
    stat_tap_table *table = stat_tap_find_table(ui, name);
    if (table) {
        if (ui->stat_tap_reset_table_cb)
            ui->stat_tap_reset_table_cb(table);
        return;
    }
    table = stat_tap_init_table(name, (int)nfields, 0, NULL);
    stat_tap_add_table(ui, table);
}

static void conv_gui_init(stat_tap_table_ui *ui)
{
    if (!gui_conv.convs)
        set_init(&gui_conv);
    add_table(ui, CONV_TABLE, CF_COUNT);
}

static void sum_gui_init(stat_tap_table_ui *ui)
{
    if (!gui_sum.convs)
        set_init(&gui_sum);
    if (!gui_sum_rows)
        gui_sum_rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    add_table(ui, OUTCOME_TABLE, SF_COUNT);
    add_table(ui, PROBLEM_TABLE, SF_COUNT);
    add_table(ui, FINDING_TABLE, SF_COUNT);

}

static guint clamp_uint(guint64 v)
{
    return v > G_MAXUINT ? G_MAXUINT : (guint)v;
}

static tap_packet_status conv_gui_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                         const void *data, tap_flags_t flags _U_)
{
    stat_data_t *sd = (stat_data_t *)tapdata;
    stat_tap_table *table = stat_tap_find_table(sd->stat_tap_data, CONV_TABLE);
    stat_tap_table_item_type it[CF_COUNT];
    tcpdiag_row r;

    if (!table || !set_add(&gui_conv, data))
        return TAP_PACKET_DONT_REDRAW;
    tcpdiag_row_get(data, &r, TRUE, pinfo->pool);
    memset(it, 0, sizeof it);
    item_uint(&it[CF_STREAM], r.stream);
    item_str(&it[CF_CLIENT], r.client);
    item_str(&it[CF_SERVER], r.server);
    item_str(&it[CF_OUTCOME], r.outcome);
    item_str(&it[CF_ZEEK], r.conn_state);
    item_str(&it[CF_HISTORY], r.history);
    item_uint(&it[CF_SYNS], r.syns);
    it[CF_START].type = TABLE_ITEM_FLOAT;
    it[CF_START].value.float_value = r.start;
    it[CF_DURATION].type = TABLE_ITEM_FLOAT;
    it[CF_DURATION].value.float_value = r.duration;
    item_uint(&it[CF_CBYTES], clamp_uint(r.client_bytes));
    item_uint(&it[CF_SBYTES], clamp_uint(r.server_bytes));
    item_str(&it[CF_CSTATE], r.client_state);
    item_str(&it[CF_SSTATE], r.server_state);
    item_str(&it[CF_ERRNO], r.client_errno);
    item_str(&it[CF_RESET], r.reset_assessment);
    item_str(&it[CF_SUMMARY], r.summary);
    for (int k = 0; k < CF_COUNT; k++)
        g_assert(it[k].type == conv_columns[k].type);   /* one list of columns */
    stat_tap_init_table_row(table, table->num_elements, CF_COUNT, it);
    return TAP_PACKET_REDRAW;
}

/* Count one more under `key` in `table`, creating the row from `init`. */
static void bump(stat_tap_table *table, const char *key, guint ncols, guint count_col,
                 stat_tap_table_item_type *init)
{
    guint row = GPOINTER_TO_UINT(g_hash_table_lookup(gui_sum_rows, key));
    if (row == 0) {
        row = table->num_elements + 1;
        item_uint(&init[count_col], 1);
        stat_tap_init_table_row(table, row - 1, ncols, init);
        g_hash_table_insert(gui_sum_rows, g_strdup(key), GUINT_TO_POINTER(row));
        return;
    }
    for (guint f = 0; f < ncols; f++)
        gui_free_item(table, row - 1, f, &init[f]);
    stat_tap_table_item_type *c = stat_tap_get_field_data(table, row - 1, count_col);
    c->value.uint_value++;
}

/* Filled at each reset of the dialog (before it reads the packets again,
 * the file being loaded: every conversation's end is known). */
static void fill_findings(stat_tap_table *table)
{
    wmem_allocator_t *scope = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    const tcpdiag_finding_row *f;
    guint nf = tcpdiag_findings(&f, scope);

    for (guint k = 0; k < nf; k++) {
        stat_tap_table_item_type it[SF_COUNT];
        memset(it, 0, sizeof it);
        item_str(&it[SF_SERVER], f[k].key);
        item_str(&it[SF_PORT], "");
        item_str(&it[SF_OUTCOME], f[k].token);
        item_uint(&it[SF_COUNT_COL], f[k].count);
        stat_tap_init_table_row(table, table->num_elements, SF_COUNT, it);
    }
    wmem_destroy_allocator(scope);
}

static tap_packet_status sum_gui_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                        const void *data, tap_flags_t flags _U_)
{
    stat_data_t *sd = (stat_data_t *)tapdata;
    stat_tap_table *outcomes = stat_tap_find_table(sd->stat_tap_data, OUTCOME_TABLE);
    stat_tap_table *problems = stat_tap_find_table(sd->stat_tap_data, PROBLEM_TABLE);
    stat_tap_table_item_type o[SF_COUNT], p[SF_COUNT];
    tcpdiag_row r;

    if (!outcomes || !problems || !set_add(&gui_sum, data))
        return TAP_PACKET_DONT_REDRAW;
    tcpdiag_row_get(data, &r, FALSE, pinfo->pool);
    memset(o, 0, sizeof o);
    item_str(&o[SF_SERVER], "all");
    item_str(&o[SF_PORT], "");
    item_str(&o[SF_OUTCOME], r.outcome);
    bump(outcomes, r.outcome, SF_COUNT, SF_COUNT_COL, o);
    if (r.problem) {
        char *key = g_strdup_printf("%s|%u|%s", r.server_addr, r.server_port, r.outcome);
        char port[8];
        snprintf(port, sizeof port, "%u", r.server_port);
        memset(p, 0, sizeof p);
        item_str(&p[SF_SERVER], r.server_addr);
        item_str(&p[SF_PORT], port);
        item_str(&p[SF_OUTCOME], r.outcome);
        bump(problems, key, SF_COUNT, SF_COUNT_COL, p);
        g_free(key);
    }
    return TAP_PACKET_REDRAW;
}

static tap_param filter_param[] = {
    { PARAM_FILTER, "filter", "Display filter", NULL, TRUE }
};

void tcpdiag_register_stats(void)
{
    for (int k = 0; k < CF_COUNT; k++) {
        const stat_tap_table_item_enum type = conv_columns[k].type;
        conv_fields[k].type = type;
        conv_fields[k].align = type == TABLE_ITEM_STRING ? TAP_ALIGN_LEFT : TAP_ALIGN_RIGHT;
        conv_fields[k].column_name = conv_columns[k].title;
        conv_fields[k].field_format = type == TABLE_ITEM_UINT ? "%u" : type == TABLE_ITEM_FLOAT ? "%f" : "%s";
    }
    static stat_tap_ui conv_cli = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED, "TCP diagnosis: conversations", CONV_CLI,
        conv_cli_init, G_N_ELEMENTS(filter_param), filter_param
    };
    static stat_tap_ui sum_cli = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED, "TCP diagnosis: summary", SUM_CLI,
        sum_cli_init, G_N_ELEMENTS(filter_param), filter_param
    };
    conv_gui = (stat_tap_table_ui) {
        REGISTER_PACKET_STAT_GROUP_UNSORTED, "TCP diagnosis: conversations", "tcpdiag", CONV_CLI,
        conv_gui_init, conv_gui_packet, gui_table_reset, gui_free_item, NULL,
        CF_COUNT, conv_fields, G_N_ELEMENTS(filter_param), filter_param, NULL, 0
    };
    sum_gui = (stat_tap_table_ui) {
        REGISTER_PACKET_STAT_GROUP_UNSORTED, "TCP diagnosis: summary", "tcpdiag", SUM_CLI,
        sum_gui_init, sum_gui_packet, gui_table_reset, gui_free_item, NULL,
        SF_COUNT, sum_fields, G_N_ELEMENTS(filter_param), filter_param, NULL, 0
    };

    /* Ours first: tshark keeps the first -z handler of a name. */
    register_stat_tap_ui(&conv_cli, NULL);
    register_stat_tap_ui(&sum_cli, NULL);
    register_stat_tap_table_ui(&conv_gui);
    register_stat_tap_table_ui(&sum_gui);
}
