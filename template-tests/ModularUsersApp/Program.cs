// The app the module sources compile in, inside this repository: what a user's Program.cs
// looks like after adding the modules. Tests do not run it; they run freshly generated apps.
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorPages();
builder.Services.AddAccounts(builder.Configuration);
builder.Services.AddLogs(builder.Configuration);
builder.Services.AddTwoFactor(builder.Configuration);
builder.Services.AddProfiles(builder.Configuration);

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
    app.UseHsts();
}

app.UseHttpsRedirection();
app.UseRouting();
app.UseAuthorization();
app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();

app.Run();
