# Adds the /Logs search index to mu-webapp's first migration (SQLite and PostgreSQL), which EF
# Core cannot generate from the model (templates/logs/Migrations/Users/LogsSearchIndex.cs). Used by
# `./build.sh migrations` after build/condition-migrations.awk, as
#     awk -f build/logs-search-migration.awk CreateUsers.cs > CreateUsers.cs.tmp
# Up ends with LogsSearchIndex.Create, once the AuthEvents table exists; Down starts with
# LogsSearchIndex.Drop, before the table goes. Both sit inside "#if (logs)".

/protected override void Up\(/ { section = "up" }
/protected override void Down\(/ { section = "down" }

section == "up" && /^        }$/ {
    print "#if (logs)"
    print ""
    print "            // The index of the /Logs search box, which EF Core cannot describe in the model."
    print "            LogsSearchIndex.Create(migrationBuilder);"
    print "#endif"
    section = ""
}

{ print }

section == "down" && /^        {$/ {
    print "#if (logs)"
    print "            LogsSearchIndex.Drop(migrationBuilder);"
    print ""
    print "#endif"
    section = ""
}
