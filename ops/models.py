# No models: this module exists so that Django sends post_migrate to the ops app
# (see OpsConfig.ready), which it only does for apps with a models module.
