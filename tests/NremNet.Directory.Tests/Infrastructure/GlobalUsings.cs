// The generated client of nremnet.directory.v1.DirectoryService, named apart from the directory's own DirectoryService.
global using DirectoryClient = NremNet.Contracts.Directory.V1.DirectoryService.DirectoryServiceClient;
