using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using NremNet.Node.Console;
using NremNet.Node.Users;

namespace NremNet.Console.Tests.Console;

/// <summary>The rules page authors follow, checked: each page says who may open it, and the navigation agrees.</summary>
public sealed class PageRulesTests
{
    private static readonly IReadOnlyList<Type> Pages =
        [.. typeof(ConsoleRegistration).Assembly.GetTypes().Where(t => t.GetCustomAttributes<RouteAttribute>().Any())];

    [Fact]
    public void EveryPage_DeclaresAUserApiPolicy_OrAllowsAnyone()
    {
        Assert.True(Pages.Count >= 5, $"only {Pages.Count} pages found");
        foreach (var page in Pages)
        {
            var anonymous = page.GetCustomAttribute<AllowAnonymousAttribute>() is not null;
            var policies = page.GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy).ToList();
            Assert.True(
                anonymous ^ (policies.Count > 0 && policies.All(p => p is not null && UserApiAccess.Policies.ContainsKey(p))),
                $"{page.Name} must declare @attribute [Authorize(Policy = UserApiAccess.X)] or [AllowAnonymous], not both.");
        }
    }

    [Fact]
    public void EveryNavigationEntry_LeadsToAPage_WithTheSamePolicy()
    {
        foreach (var item in ConsoleNavigation.Items)
        {
            var page = Pages.SingleOrDefault(p => p.GetCustomAttributes<RouteAttribute>().Any(r => r.Template == item.Href));
            Assert.True(page is not null, $"No page has the route {item.Href}.");
            Assert.Equal(item.Policy, page.GetCustomAttribute<AuthorizeAttribute>()?.Policy);
        }
    }
}
