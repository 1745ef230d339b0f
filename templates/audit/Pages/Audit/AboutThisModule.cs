// The audit module: who changed what in the app's own data, saved with the change itself.
// It is built on the accounts module (Pages/Accounts). When a build stops at the line below, that
// module is missing: add it first with `dotnet new mu-accounts` and the steps it prints. Keep the
// using although nothing here uses it: it is the check. The file is named to sort first, and the
// build lists errors by file, so this error is the first one it shows.
using static Microsoft.Extensions.DependencyInjection.AccountsModule;
