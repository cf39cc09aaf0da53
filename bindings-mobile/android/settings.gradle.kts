// The Android library of the CinetPay Transfer SDK: one module, `:cinetpay` (an AAR with the
// uniffi-generated Kotlin and libcinetpay_mobile.so for four ABIs). See README.md.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "cinetpay-transfer-android"
include(":cinetpay")
