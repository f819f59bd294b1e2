package io.morpho.inference.service;

import java.time.Instant;

import ai.onnxruntime.OrtException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.morpho.events.MorphologyClass;
import io.morpho.imaging.ImagingException;
import io.morpho.imaging.stamp.Stamp;
import io.morpho.inference.config.InferenceConfig;
import io.morpho.inference.model.LoadedModel;
import io.morpho.inference.model.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import morpho.events.v1.ClassificationEvent;
import morpho.events.v1.CutoutEvent;

/** Preprocesses a cutout as the serving model's metadata says and classifies it. */
@ApplicationScoped
public class Classifier {
    @Inject
    ModelRegistry models;

    @Inject
    InferenceConfig config;

    @Inject
    MeterRegistry registry;

    /** Classifies with the serving model; a model swap waits until this returns. */
    public ClassificationEvent classify(CutoutEvent cutout) {
        return models.withModel(model -> classify(cutout, model));
    }

    private ClassificationEvent classify(CutoutEvent cutout, LoadedModel model) {
        float[] input = preprocess(cutout, model);
        float[] p;
        Timer.Sample sample = Timer.start(registry);
        try {
            p = model.run(models.environment(), new float[][] {input})[0];
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + cutout.getEventId() + ": " + e.getMessage(), e);
        } finally {
            sample.stop(registry.timer("morpho.inference.latency", "model", model.name()));
        }
        registry.counter("morpho.inference.stamps", "model", model.name(), "band", cutout.getBand()).increment();
        return ClassificationEvent.newBuilder()
                .setEventId(cutout.getEventId()).setSourceId(cutout.getSourceId()).setSurvey(cutout.getSurvey())
                .setField(cutout.getField()).setBand(cutout.getBand()).setRa(cutout.getRa()).setDec(cutout.getDec())
                .setMagnitude(cutout.getMagnitude())
                .setPSpheroid(p[0]).setPDisk(p[1]).setPIrregular(p[2]).setPPointSource(p[3]).setPUnclassifiable(p[4])
                .setLabel(MorphologyClass.argmax(p).label()).setEntropy(MorphologyClass.entropyBits(p))
                .setModelName(model.name()).setModelVersion(model.version()).setModelSha256(model.sha256())
                .setExecutionProvider(model.executionProvider()).setOrigin(cutout.getOrigin())
                .setClassifiedAt(Instant.now())
                .build();
    }

    private float[] preprocess(CutoutEvent cutout, LoadedModel model) {
        int w = cutout.getWidth();
        int h = cutout.getHeight();
        if (w <= 0 || h <= 0) {
            throw new BadCutoutException("stamp.geometry", "stamp is " + w + "x" + h + " pixels");
        }
        if ((long) w * h > config.maxStampPixels()) {
            throw new BadCutoutException("stamp.too-large", "stamp of " + w + "x" + h + " pixels exceeds the limit of "
                    + config.maxStampPixels() + " (morpho.inference.max-stamp-pixels)");
        }
        Stamp stamp;
        try {
            stamp = Stamp.fromLittleEndianBytes(w, h, cutout.getPixels());
        } catch (IllegalArgumentException e) {
            throw new BadCutoutException("stamp.geometry", e.getMessage());
        }
        try {
            return model.preprocessing().apply(stamp.pixels(), w, h, model.inputSize());
        } catch (ImagingException e) {
            throw new BadCutoutException(e.errorType(), e.getMessage());
        }
    }
}
