var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorPages();

// The user system: one line per module, each module one folder under Pages/.
// To remove a module, delete its folder and its line, then add a migration for the dropped tables.
builder.Services.AddAccounts(builder.Configuration);
#if (logs)
builder.Services.AddLogs(builder.Configuration);
#endif
#if (twofactor)
builder.Services.AddTwoFactor(builder.Configuration);
#endif
#if (profiles)
builder.Services.AddProfiles(builder.Configuration);
#endif
#if (email)
builder.Services.AddEmail(builder.Configuration);
#endif
#if (sessions)
builder.Services.AddSessions(builder.Configuration);
#endif
#if (audit)
builder.Services.AddAudit(builder.Configuration);
#endif

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
    // HSTS tells browsers to use only HTTPS for this site; the default is 30 days.
    app.UseHsts();
}

// On every response (pages, redirects, static files, errors): other sites may not frame these
// pages, browsers may not guess content types, and other sites see no URL of this one in Referer.
// Add your own Content-Security-Policy directives here (script-src, ...) once you know your pages' needs.
app.Use((context, next) =>
{
    var headers = context.Response.Headers;
    headers.ContentSecurityPolicy = "frame-ancestors 'self'";
    headers.XContentTypeOptions = "nosniff";
    headers["Referrer-Policy"] = "same-origin";
    return next(context);
});

app.UseHttpsRedirection();
app.UseRouting();
app.UseAuthorization();
app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();

app.Run();
