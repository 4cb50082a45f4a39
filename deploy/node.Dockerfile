# A country node of NremNet. Build from the repository root:
#   docker build -f deploy/node.Dockerfile -t nremnet-node .
# It is configured by NREMNET_Node__<Key> environment variables; to read a node.json, mount it and pass --config.
# Mount its credentials at /srv/nremnet/pki (node.crt, node.key, ca.crt) and keep
# /srv/nremnet/data on a volume: it holds the node's database and cached directory snapshot.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY . .
RUN dotnet publish src/NremNet.Cli/NremNet.Cli.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN groupadd --system nremnet && useradd --system --gid nremnet --home-dir /srv/nremnet nremnet \
    && mkdir -p /srv/nremnet/pki /srv/nremnet/data/node && chown -R nremnet:nremnet /srv/nremnet
COPY --from=build /app /opt/nremnet
WORKDIR /srv/nremnet
ENV NREMNET_Node__DataDirectory=data/node \
    NREMNET_Node__CertificateFile=pki/node.crt \
    NREMNET_Node__KeyFile=pki/node.key \
    NREMNET_Node__NetworkCaFile=pki/ca.crt \
    NREMNET_Node__PeerListen=0.0.0.0:7443 \
    NREMNET_Node__ConsoleListen=0.0.0.0:8443 \
    DOTNET_gcServer=0
VOLUME ["/srv/nremnet/data"]
EXPOSE 7443 8443
USER nremnet
ENTRYPOINT ["/opt/nremnet/nremnet", "node", "run"]
