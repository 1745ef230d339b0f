// The sessions module: where a user is signed in, with sign-out of any one session, an admin
// view, and a mail on sign-in from a new browser (with the email module).
// It is built on the accounts module (Pages/Accounts). When a build stops at the line below, that
// module is missing: add it first with `dotnet new mu-accounts` and the steps it prints. Keep the
// using although nothing here uses it: it is the check. The file is named to sort first, and the
// build lists errors by file, so this error is the first one it shows.
using static Microsoft.Extensions.DependencyInjection.AccountsModule;
