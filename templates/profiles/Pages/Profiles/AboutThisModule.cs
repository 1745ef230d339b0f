// The profiles module: a profile per user, created at registration, shown and edited here.
// It is built on the accounts module (Pages/Accounts). When a build stops at the line below, that
// module is missing: add it first with `dotnet new mu-accounts` and the steps it prints. This file
// is named to come first, so its error is the first one the build shows.
using static Microsoft.Extensions.DependencyInjection.AccountsModule;
