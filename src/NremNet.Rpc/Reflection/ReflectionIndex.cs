using System.Collections.Frozen;
using Google.Protobuf.Reflection;

namespace NremNet.Rpc.Reflection;

/// <summary>The proto files behind the served services, indexed by file name and by every symbol they declare.</summary>
internal sealed class ReflectionIndex
{
    private readonly FrozenDictionary<string, FileDescriptor> _filesByName;
    private readonly FrozenDictionary<string, FileDescriptor> _filesBySymbol;
    private readonly IReadOnlyList<FieldDescriptor> _extensions;

    public ReflectionIndex(IEnumerable<ServiceDescriptor> services)
    {
        var serviceList = services.ToList();
        ServiceNames = serviceList.Select(s => s.FullName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var files = new Dictionary<string, FileDescriptor>(StringComparer.Ordinal);
        foreach (var service in serviceList)
        {
            Collect(service.File, files);
        }

        var symbols = new Dictionary<string, FileDescriptor>(StringComparer.Ordinal);
        var extensions = new List<FieldDescriptor>();
        foreach (var file in files.Values)
        {
            foreach (var service in file.Services)
            {
                symbols.TryAdd(service.FullName, file);
                foreach (var method in service.Methods)
                {
                    symbols.TryAdd(method.FullName, file);
                }
            }

            foreach (var message in file.MessageTypes)
            {
                IndexMessage(message, file, symbols, extensions);
            }

            foreach (var enumType in file.EnumTypes)
            {
                symbols.TryAdd(enumType.FullName, file);
            }

            foreach (var extension in file.Extensions.UnorderedExtensions)
            {
                symbols.TryAdd(extension.FullName, file);
                extensions.Add(extension);
            }
        }

        _filesByName = files.ToFrozenDictionary(StringComparer.Ordinal);
        _filesBySymbol = symbols.ToFrozenDictionary(StringComparer.Ordinal);
        _extensions = extensions;
    }

    public IReadOnlyList<string> ServiceNames { get; }

    public FileDescriptor? FindFileByName(string name) => _filesByName.GetValueOrDefault(name);

    public FileDescriptor? FindFileBySymbol(string symbol) => _filesBySymbol.GetValueOrDefault(symbol.TrimStart('.'));

    public FileDescriptor? FindFileByExtension(string containingType, int number) =>
        _extensions.FirstOrDefault(e => e.ExtendeeType?.FullName == containingType.TrimStart('.') && e.FieldNumber == number)?.File;

    /// <summary>The extension numbers of a type, or null when the type is unknown.</summary>
    public IReadOnlyList<int>? FindExtensionNumbers(string typeName)
    {
        var name = typeName.TrimStart('.');
        if (!_filesBySymbol.ContainsKey(name))
        {
            return null;
        }

        return _extensions.Where(e => e.ExtendeeType?.FullName == name).Select(e => e.FieldNumber).Order().ToList();
    }

    /// <summary>A file followed by all its transitive dependencies, each once.</summary>
    public static IReadOnlyList<FileDescriptor> WithDependencies(FileDescriptor file)
    {
        var result = new List<FileDescriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<FileDescriptor>();
        pending.Enqueue(file);
        while (pending.Count > 0)
        {
            var next = pending.Dequeue();
            if (!seen.Add(next.Name))
            {
                continue;
            }

            result.Add(next);
            foreach (var dependency in next.Dependencies)
            {
                pending.Enqueue(dependency);
            }
        }

        return result;
    }

    private static void Collect(FileDescriptor file, Dictionary<string, FileDescriptor> files)
    {
        if (!files.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            Collect(dependency, files);
        }
    }

    private static void IndexMessage(MessageDescriptor message, FileDescriptor file, Dictionary<string, FileDescriptor> symbols, List<FieldDescriptor> extensions)
    {
        symbols.TryAdd(message.FullName, file);
        foreach (var nested in message.NestedTypes)
        {
            IndexMessage(nested, file, symbols, extensions);
        }

        foreach (var enumType in message.EnumTypes)
        {
            symbols.TryAdd(enumType.FullName, file);
        }

        foreach (var extension in message.Extensions.UnorderedExtensions)
        {
            symbols.TryAdd(extension.FullName, file);
            extensions.Add(extension);
        }
    }
}
