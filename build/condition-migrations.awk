# Wraps each statement of a generated EF Core migration or model snapshot that belongs to an
# optional module in "#if (module)" ... "#endif". Used by `./build.sh migrations` as
#     awk -f build/condition-migrations.awk Migration.cs > Migration.cs.tmp
#
# Why: mu-webapp ships one first migration per database, generated once from templates/webapp
# with every module on. That single migration and snapshot must serve every set of modules a
# user can choose (--logs/--twofactor/--profiles/--email/--sessions/--audit true|false), so the statements that create a
# module's tables, indexes and keys are put inside that module's template condition, and the
# template engine drops them when the module is not chosen. The conditions must be re-added
# after every regeneration, hence a script rather than hand edits.
#
# How: a statement starts at a line indented 12 spaces that begins "migrationBuilder." or
# "modelBuilder." (the top-level calls in Up/Down and BuildModel/BuildTargetModel) and runs until
# its parentheses balance again (parentheses inside strings, as in "character varying(64)", come
# in pairs, so counting them all is safe).
# The statement's text says which module owns it: an entity type of the module's namespace
# (Pages.Logs., Pages.TwoFactor., Pages.Profiles., Pages.Email., Pages.Sessions., Pages.Audit.) or one of its table names. Consecutive
# statements of the same module share one #if block, which also takes in one adjacent blank line
# so that a module left out leaves no double blank line behind. Accounts' statements, and
# everything else, are printed unchanged.

# The optional module that owns a statement, or "" for one every app has.
function module_of(text) {
    if (text ~ /Pages\.Logs\.|"AuthEvents"/) return "logs"
    if (text ~ /Pages\.TwoFactor\.|"TwoFactor[A-Za-z]*"/) return "twofactor"
    if (text ~ /Pages\.Profiles\.|"Profiles"/) return "profiles"
    # Only the table names, quoted whole: "Email" alone is a column of Users (and of AuthEvents).
    if (text ~ /Pages\.Email\.|"(EmailOutbox|EmailTokens|UnconfirmedAccounts)"/) return "email"
    if (text ~ /Pages\.Sessions\.|"KnownDevices"/) return "sessions"
    if (text ~ /Pages\.Audit\.|"AuditEntries"/) return "audit"
    return ""
}

# How many more "(" than ")" the line has.
function depth_change(line,    opens, closes) {
    opens = gsub(/\(/, "(", line); closes = gsub(/\)/, ")", line)
    return opens - closes
}

{ lines[NR] = $0 }

END {
    # First pass: find the blocks [first[k], last[k]] to wrap, and their module mod[k].
    n = 0
    for (i = 1; i <= NR; i++) {
        if (lines[i] !~ /^            (migrationBuilder|modelBuilder)\./) continue
        start = i; depth = 0; text = ""
        for (j = i; j <= NR; j++) {
            text = text lines[j] "\n"; depth += depth_change(lines[j])
            if (depth <= 0) break
        }
        m = module_of(text)
        if (m != "") {
            from = start; to = j
            # The blank line before, unless the block just before (another module's) took it.
            if (lines[from - 1] ~ /^[ \t]*$/ && !(n > 0 && last[n] >= from - 1)) from--
            else if (lines[to + 1] ~ /^[ \t]*$/) to++
            if (n > 0 && mod[n] == m && last[n] + 1 == from) last[n] = to
            else { n++; first[n] = from; last[n] = to; mod[n] = m }
        }
        i = j
    }
    # Second pass: print every line, with the conditions around the blocks.
    k = 1
    for (i = 1; i <= NR; i++) {
        if (k <= n && i == first[k]) print "#if (" mod[k] ")"
        print lines[i]
        if (k <= n && i == last[k]) { print "#endif"; k++ }
    }
}
