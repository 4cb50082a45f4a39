# The NremNet directory. Build from the repository root:
#   docker build -f deploy/directory.Dockerfile -t nremnet-directory .
# Mount the directory's credentials at /srv/nremnet/pki (directory.crt, directory.key, ca.crt)
# and keep /srv/nremnet/data on a volume: it holds the member register and the signed snapshot.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY . .
RUN dotnet publish src/NremNet.Cli/NremNet.Cli.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN groupadd --system nremnet && useradd --system --gid nremnet --home-dir /srv/nremnet nremnet \
    && mkdir -p /srv/nremnet/pki /srv/nremnet/data/directory && chown -R nremnet:nremnet /srv/nremnet
COPY --from=build /app /opt/nremnet
WORKDIR /srv/nremnet
ENV NREMNET_Directory__DataDirectory=data/directory \
    NREMNET_Directory__CertificateFile=pki/directory.crt \
    NREMNET_Directory__KeyFile=pki/directory.key \
    NREMNET_Directory__NetworkCaFile=pki/ca.crt \
    NREMNET_Directory__Listen=0.0.0.0:7400 \
    DOTNET_gcServer=0
VOLUME ["/srv/nremnet/data"]
EXPOSE 7400
USER nremnet
ENTRYPOINT ["/opt/nremnet/nremnet", "directory", "serve"]
