using NremNet.Contracts.Local.V1;
using NremNet.Domain.Practices;

namespace NremNet.Node.Practices.Search;

/// <summary>One practice version as the search index takes it.</summary>
/// <param name="Version">
/// The version as the user API shows it; stored with the entry and given back in hits. Its state is
/// <see cref="Contracts.Practices.V1.DocumentState.Published"/> or <see cref="Contracts.Practices.V1.DocumentState.Withdrawn"/>:
/// an erased document is removed from the index (<see cref="PracticeSearch.RemoveAsync"/>), never indexed.
/// </param>
/// <param name="Practice">The practice's content.</param>
internal sealed record IndexedPractice(DocumentVersion Version, Practice Practice);
